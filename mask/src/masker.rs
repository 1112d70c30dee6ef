use detect::{Detection, EntityType};

use crate::{Action, HashKey, MaskError, Policy, Summary, keyed_hash};

/// A text after masking: every action but `tokenize` applied; the entities left for
/// deidentify carry byte offsets into the new text.
#[derive(Debug, Clone, PartialEq)]
pub struct MaskedText {
    pub text: String,
    pub pending: Vec<Detection>,
    pub summary: Summary,
}

/// Applies a policy's irreversible actions.
pub struct Masker<'a> {
    policy: &'a Policy,
    hash_key: Option<&'a HashKey>,
}

impl<'a> Masker<'a> {
    pub fn new(policy: &'a Policy, hash_key: Option<&'a HashKey>) -> Result<Self, MaskError> {
        if policy.uses_hash() && hash_key.is_none() {
            return Err(MaskError::MissingHashKey);
        }
        Ok(Self { policy, hash_key })
    }

    pub fn policy(&self) -> &Policy {
        self.policy
    }

    /// `detections` are byte spans into `text`; overlapping ones after the first are
    /// ignored, since the detectors already resolved overlaps by score.
    pub fn mask(
        &self,
        text: &str,
        detections: &[Detection],
        pointer: Option<&str>,
    ) -> Result<MaskedText, MaskError> {
        let mut summary = Summary::default();
        let mut masked = self.mask_counting(text, detections, pointer, &mut summary)?;
        masked.summary = summary;
        Ok(masked)
    }

    /// [`mask`](Self::mask) that counts what it found and did into `summary` (a record's,
    /// for all its fields) and answers an empty one: a summary of its own per field, each
    /// two maps, then merged, was most of the cost of masking a record.
    pub fn mask_counting(
        &self,
        text: &str,
        detections: &[Detection],
        pointer: Option<&str>,
        summary: &mut Summary,
    ) -> Result<MaskedText, MaskError> {
        let key = |d: &&Detection| (d.start, std::cmp::Reverse(d.end));
        // Most fields hold one entity, or several in order: no sorted copy for them.
        let sorted: Vec<&Detection>;
        let in_order: &mut dyn Iterator<Item = &Detection> =
            if detections.iter().is_sorted_by_key(|d| key(&d)) {
                &mut detections.iter()
            } else {
                sorted = {
                    let mut v: Vec<&Detection> = detections.iter().collect();
                    v.sort_by_key(key);
                    v
                };
                &mut sorted.iter().copied()
            };

        let mut out = String::with_capacity(text.len());
        let mut pending = Vec::new();
        let mut cursor = 0;
        let mut actions = Actions::new(self.policy, pointer);
        for d in in_order {
            if d.start < cursor {
                continue;
            }
            if d.start > d.end
                || d.end > text.len()
                || !text.is_char_boundary(d.start)
                || !text.is_char_boundary(d.end)
            {
                return Err(MaskError::BadSpan {
                    start: d.start,
                    end: d.end,
                });
            }
            out.push_str(&text[cursor..d.start]);
            let value = &text[d.start..d.end];
            let action = actions.at(d.entity_type, text, d.start, d.end);
            summary.record(d.entity_type, action.kind());
            match action {
                Action::Tokenize => {
                    let start = out.len();
                    out.push_str(value);
                    pending.push(Detection {
                        start,
                        end: out.len(),
                        ..d.clone()
                    });
                }
                other => self.apply(other, d.entity_type, value, &mut out)?,
            }
            cursor = d.end;
        }
        out.push_str(&text[cursor..]);
        Ok(MaskedText {
            text: out,
            pending,
            summary: Summary::default(),
        })
    }

    fn apply(
        &self,
        action: &Action,
        entity_type: EntityType,
        value: &str,
        out: &mut String,
    ) -> Result<(), MaskError> {
        match action {
            Action::Keep => out.push_str(value),
            Action::Redact => {}
            Action::Replace { with: Some(label) } => out.push_str(label),
            Action::Replace { with: None } => {
                out.push('[');
                out.push_str(entity_type.as_str());
                out.push(']');
            }
            Action::Mask {
                char,
                keep_first,
                keep_last,
                keep_separators,
            } => mask_chars(value, *char, *keep_first, *keep_last, *keep_separators, out),
            Action::Hash => {
                let key = self.hash_key.ok_or(MaskError::MissingHashKey)?;
                out.push_str(&keyed_hash(key, entity_type, value));
            }
            Action::Tokenize => unreachable!("tokenize is handed on, not applied"),
        }
        Ok(())
    }
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '/' | '(' | ')' | '+' | '_' | ':')
}

/// Keeping first/last N counts only significant characters; a value so short that the
/// kept parts would cover it is masked whole, so masking never reveals a full value.
fn mask_chars(
    value: &str,
    mask: char,
    keep_first: usize,
    keep_last: usize,
    keep_separators: bool,
    out: &mut String,
) {
    let significant = value
        .chars()
        .filter(|c| !(keep_separators && is_separator(*c)))
        .count();
    let (keep_first, keep_last) = if keep_first + keep_last >= significant {
        (0, 0)
    } else {
        (keep_first, keep_last)
    };
    let mut seen = 0;
    for c in value.chars() {
        if keep_separators && is_separator(c) {
            out.push(c);
            continue;
        }
        if seen < keep_first || seen >= significant - keep_last {
            out.push(c);
        } else {
            out.push(mask);
        }
        seen += 1;
    }
}

/// [`Policy::action_at`] for the entities of one text: its field rule is looked up once,
/// and each type's action once, rather than per entity (a dense text has tens of
/// thousands of entities of a handful of types).
struct Actions<'p> {
    policy: &'p Policy,
    field: Option<&'p Action>,
    by_type: [Option<&'p Action>; EntityType::ALL.len()],
}

impl<'p> Actions<'p> {
    fn new(policy: &'p Policy, pointer: Option<&str>) -> Self {
        Self {
            policy,
            field: pointer.and_then(|p| policy.field_action(p)),
            by_type: [None; EntityType::ALL.len()],
        }
    }

    fn at(&mut self, entity_type: EntityType, text: &str, start: usize, end: usize) -> &'p Action {
        let policy = self.policy;
        if let Some(action) = self.field {
            return action;
        }
        if let Some(rule) = policy
            .contexts
            .iter()
            .find(|r| r.applies(entity_type, text, start, end))
        {
            return &rule.action;
        }
        match entity_type.builtin_index() {
            Some(i) => self.by_type[i].get_or_insert_with(|| policy.type_action(entity_type)),
            None => policy.type_action(entity_type),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use detect::Source;

    fn det(t: EntityType, start: usize, end: usize) -> Detection {
        Detection {
            entity_type: t,
            start,
            end,
            score: 1.0,
            source: Source::Pattern,
        }
    }

    fn policy(json: &str) -> Policy {
        Policy::from_json(json, "test").unwrap()
    }

    #[test]
    fn cards_keep_their_last_four_and_shape() {
        let p = policy(r#"{"name":"t","default":{"action":"mask","keep_last":4}}"#);
        let text = "card 4111 1111 1111 1111 ok";
        let m = Masker::new(&p, None)
            .unwrap()
            .mask(text, &[det(EntityType::CreditDebitNumber, 5, 24)], None)
            .unwrap();
        assert_eq!(m.text, "card **** **** **** 1111 ok");
    }

    #[test]
    fn dates_of_birth_in_prose_are_handed_on_for_tokens() {
        let p = Policy::builtin("default").unwrap();
        let text = "Signed 2 May 2020 in Leeds by the client, born 1 May 1970.";
        let ds = [
            det(EntityType::DateTime, 7, 17),
            det(EntityType::DateTime, 47, 57),
        ];
        let m = Masker::new(&p, None)
            .unwrap()
            .mask(text, &ds, None)
            .unwrap();
        assert_eq!(m.text, text, "kept or pending, nothing replaced yet");
        assert_eq!(m.pending.len(), 1, "{:?}", m.pending);
        assert_eq!(&m.text[m.pending[0].start..m.pending[0].end], "1 May 1970");
    }

    #[test]
    fn actions_per_text_agree_with_the_policy() {
        let p = policy(
            r#"{"name":"t","default":{"action":"replace"},
                "types":{"EMAIL":{"action":"tokenize"},"DATE_TIME":{"action":"keep"}},
                "fields":[{"field":"dob","action":{"action":"redact"}}],
                "contexts":[{"type":"DATE_TIME","words":["born"],"action":{"action":"hash"}}]}"#,
        );
        let text = "born 1 May 1970, mail ab@c.de on 2 May 2020, ssn 123-45-6789";
        let spans = [
            (EntityType::DateTime, 5, 15),
            (EntityType::Email, 22, 29),
            (EntityType::DateTime, 33, 43),
            (EntityType::Ssn, 49, 60),
            (EntityType::Email, 22, 29),
            (EntityType::custom("EMPLOYEE_ID").unwrap(), 0, 4),
        ];
        for pointer in [None, Some("/dob"), Some("/notes")] {
            let mut actions = Actions::new(&p, pointer);
            for (t, start, end) in spans {
                assert_eq!(
                    actions.at(t, text, start, end),
                    p.action_at(t, pointer, text, start, end),
                    "{t} at {start} in {pointer:?}"
                );
            }
        }
    }

    #[test]
    fn short_values_are_masked_whole() {
        let mut out = String::new();
        mask_chars("1234", '#', 2, 2, true, &mut out);
        assert_eq!(out, "####");
    }

    #[test]
    fn tokenize_entities_are_handed_on_with_moved_offsets() {
        let p = policy(
            r#"{"name":"t","types":{"EMAIL":{"action":"tokenize"}},"default":{"action":"redact"}}"#,
        );
        let text = "ssn 123-45-6789 mail ab@c.de end";
        let ds = [det(EntityType::Ssn, 4, 15), det(EntityType::Email, 21, 28)];
        let m = Masker::new(&p, None)
            .unwrap()
            .mask(text, &ds, None)
            .unwrap();
        assert_eq!(m.text, "ssn  mail ab@c.de end");
        assert_eq!(m.pending.len(), 1, "{:?}", m.pending);
        let d = &m.pending[0];
        assert_eq!(&m.text[d.start..d.end], "ab@c.de");
        assert_eq!(m.summary.entity_count, 2);
    }

    #[test]
    fn replace_uses_type_labels_or_custom_text() {
        let p = policy(r#"{"name":"t","types":{"NAME":{"action":"replace","with":"<person>"}}}"#);
        let text = "Dr Jane Roe, jane@x.org";
        let ds = [det(EntityType::Name, 3, 11), det(EntityType::Email, 13, 23)];
        let m = Masker::new(&p, None)
            .unwrap()
            .mask(text, &ds, None)
            .unwrap();
        assert_eq!(m.text, "Dr <person>, [EMAIL]");
    }

    #[test]
    fn hash_needs_a_key() {
        let p = policy(r#"{"name":"t","default":{"action":"hash"}}"#);
        assert!(matches!(
            Masker::new(&p, None),
            Err(MaskError::MissingHashKey)
        ));
    }

    #[test]
    fn spans_off_char_boundaries_are_rejected() {
        let p = policy(r#"{"name":"t"}"#);
        let err = Masker::new(&p, None)
            .unwrap()
            .mask("é", &[det(EntityType::Name, 1, 2)], None);
        assert!(matches!(err, Err(MaskError::BadSpan { .. })));
    }
}
