//! Whether a policy's field rules change the action of an entity type at a pointer,
//! remembered per pointer.
//!
//! `Policy::action_for(t, Some(pointer))` normalizes every segment of the pointer for every
//! field rule on every call (allocating several strings each time); on the records path
//! that was about a quarter of the time per record, although a table repeats the same few
//! pointers in every record. The answers come from `action_for` itself, so they stay right
//! whatever the rules mean; only their repetition is saved.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

// Keyed by the input's field names: seeded per memo, and cheaper than SipHash, which was
// 1.2% of anonymizing records.
use foldhash::quality::RandomState;

use detect::{Detection, EntityType};
use mask::Policy;

/// Pointers remembered before the memo starts over (records with long arrays have a
/// pointer per element; a bound keeps their memo from growing without end).
const MAX_POINTERS: usize = 4_096;

// One bit per entity type.
const _: () = assert!(EntityType::ALL.len() <= 64);

#[derive(Debug, Default)]
pub(crate) struct FieldOverrides {
    by_pointer: Mutex<HashMap<Box<str>, TypeBits, RandomState>>,
}

/// Per entity type at one pointer: whether it was looked up, and whether a field rule gives
/// it an action other than its type's.
#[derive(Debug, Clone, Copy, Default)]
struct TypeBits {
    known: u64,
    overridden: u64,
}

impl FieldOverrides {
    /// The pointer to hand the masker for `detections` at `pointer`: `None` when no field
    /// rule changes the action of any of their types there, so the masker can skip the
    /// field rules (its actions are then exactly those of `action_for(t, None)`).
    pub(crate) fn pointer_for_masking<'p>(
        &self,
        policy: &Policy,
        pointer: &'p str,
        detections: &[Detection],
    ) -> Option<&'p str> {
        let mut memo = self.lock();
        if !memo.contains_key(pointer) {
            if memo.len() >= MAX_POINTERS {
                memo.clear();
            }
            memo.insert(pointer.into(), TypeBits::default());
        }
        let bits = memo.get_mut(pointer).expect("inserted above");
        let mut overridden = false;
        for d in detections {
            let Some(index) = d.entity_type.builtin_index() else {
                // A custom type has no bit: ask the policy each time.
                overridden |= policy.action_for(d.entity_type, Some(pointer))
                    != policy.action_for(d.entity_type, None);
                continue;
            };
            let bit = 1u64 << index;
            if bits.known & bit == 0 {
                bits.known |= bit;
                if policy.action_for(d.entity_type, Some(pointer))
                    != policy.action_for(d.entity_type, None)
                {
                    bits.overridden |= bit;
                }
            }
            overridden |= bits.overridden & bit != 0;
        }
        overridden.then_some(pointer)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Box<str>, TypeBits, RandomState>> {
        // Only a cache of pure answers: a panic mid-update leaves nothing wrong behind.
        self.by_pointer.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use detect::Source;

    use super::*;

    fn detection(t: EntityType) -> Detection {
        Detection {
            entity_type: t,
            start: 0,
            end: 1,
            score: 1.0,
            source: Source::Field,
        }
    }

    #[test]
    fn hands_on_the_pointer_only_where_a_field_rule_changes_the_action() {
        let policy = Policy::from_json(
            r#"{"name":"t","types":{"EMAIL":{"action":"tokenize"},"NAME":{"action":"tokenize"}},
                "fields":[{"field":"notes","action":{"action":"redact"}},
                          {"field":"/contact","action":{"action":"tokenize"}}]}"#,
            "t",
        )
        .unwrap();
        let memo = FieldOverrides::default();
        let email = [detection(EntityType::Email)];
        let both = [detection(EntityType::Name), detection(EntityType::Email)];
        for _ in 0..2 {
            assert_eq!(memo.pointer_for_masking(&policy, "/email", &email), None);
            assert_eq!(
                memo.pointer_for_masking(&policy, "/notes/0", &email),
                Some("/notes/0")
            );
            // Same action as the type's: nothing to override.
            assert_eq!(memo.pointer_for_masking(&policy, "/contact/x", &both), None);
            let phone = [detection(EntityType::Email), detection(EntityType::Phone)];
            assert_eq!(
                memo.pointer_for_masking(&policy, "/contact/x", &phone),
                Some("/contact/x")
            );
        }
    }

    #[test]
    fn custom_types_are_judged_by_the_policy_each_time() {
        let policy = Policy::from_toml(
            r#"
            name = "t"
            [types]
            EMPLOYEE_ID = { action = "tokenize" }
            [[fields]]
            field = "notes"
            action = { action = "redact" }
            [[recognizers]]
            name = "employee"
            type = "EMPLOYEE_ID"
            pattern = 'EMP-[0-9]{6}'
            "#,
            "t.toml",
        )
        .unwrap();
        let memo = FieldOverrides::default();
        let employee = [detection(EntityType::custom("EMPLOYEE_ID").unwrap())];
        for _ in 0..2 {
            assert_eq!(
                memo.pointer_for_masking(&policy, "/notes", &employee),
                Some("/notes")
            );
            assert_eq!(memo.pointer_for_masking(&policy, "/badge", &employee), None);
        }
    }

    #[test]
    fn stays_bounded() {
        let policy = Policy::builtin("default").unwrap();
        let memo = FieldOverrides::default();
        let d = [detection(EntityType::Email)];
        for i in 0..MAX_POINTERS * 2 {
            memo.pointer_for_masking(&policy, &format!("/items/{i}/email"), &d);
            assert!(memo.lock().len() <= MAX_POINTERS);
        }
    }
}
