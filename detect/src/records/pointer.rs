/// Appends one reference token to a JSON Pointer with RFC 6901 escaping
/// (`~` as `~0`, `/` as `~1`).
pub fn escape_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    // Keys almost never need escaping: copy them whole.
    if !token.bytes().any(|b| b == b'~' || b == b'/') {
        pointer.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_tilde_before_slash() {
        let mut p = String::new();
        escape_token(&mut p, "a/b");
        escape_token(&mut p, "m~n");
        escape_token(&mut p, "~1");
        assert_eq!(p, "/a~1b/m~0n/~01");
        // serde_json resolves our pointers back to the same keys.
        let v = serde_json::json!({"a/b": {"m~n": {"~1": 7}}});
        assert_eq!(v.pointer(&p), Some(&serde_json::json!(7)));
    }
}
