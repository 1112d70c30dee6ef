//! README.md's exit-code and error sections are rendered from the table; this test fails when
//! they differ (`PIIFLOW_BLESS=1` rewrites them).

use crate::table::{Contract, load, repo};

const SECTIONS: [&str; 2] = ["cli", "http"];

fn render(c: &Contract, section: &str) -> String {
    let mut out = String::new();
    match section {
        "cli" => {
            out.push_str("| code | meaning |\n|---|---|\n");
            for e in &c.exit_code {
                out.push_str(&format!("| {} | {} |\n", e.code, e.meaning));
            }
            out.push_str(
                "\nPer command and bad input (– where the input cannot reach the command; ",
            );
            out.push_str("several codes where the formats differ):\n\n| input |");
            for command in &c.commands {
                out.push_str(&format!(" `{command}` |"));
            }
            out.push_str("\n|---|");
            out.push_str(&"---|".repeat(c.commands.len()));
            out.push('\n');
            for class in &c.class {
                out.push_str(&format!("| {} |", class.name));
                for command in &c.commands {
                    let mut codes: Vec<String> = Vec::new();
                    for row in c
                        .cli
                        .iter()
                        .filter(|r| &r.command == command && r.class == class.id)
                    {
                        if let Some(exit) = row.exit {
                            let s = exit.to_string();
                            if !codes.contains(&s) {
                                codes.push(s);
                            }
                        }
                    }
                    let cell = if codes.is_empty() {
                        "–".to_string()
                    } else {
                        codes.join(", ")
                    };
                    out.push_str(&format!(" {cell} |"));
                }
                out.push('\n');
            }
            out.push_str("\nMessages on stderr (after `piiflow: `; `{n}` a number, `{path}` a path) name byte ");
            out.push_str(
                "offsets, lines and paths, never values:\n\n| input | messages |\n|---|---|\n",
            );
            for class in &c.class {
                let mut shapes: Vec<String> = Vec::new();
                for row in c.cli.iter().filter(|r| r.class == class.id) {
                    if let (Some(shape), Some(exit)) = (&row.stderr, row.exit) {
                        let s = format!("`{shape}` ({exit})");
                        if !shapes.contains(&s) {
                            shapes.push(s);
                        }
                    }
                }
                if !shapes.is_empty() {
                    out.push_str(&format!("| {} | {} |\n", class.name, shapes.join(", ")));
                }
            }
        }
        "http" => {
            out.push_str("Status and `error.code` per route and error class (401 and 403 answer ");
            out.push_str("`{\"message\": \"Unauthorized\"}` and `{\"message\": \"Forbidden\"}` as API Gateway does):\n\n| route |");
            for class in &c.http_class {
                out.push_str(&format!(" {} |", class.name));
            }
            out.push_str("\n|---|");
            out.push_str(&"---|".repeat(c.http_class.len()));
            out.push('\n');
            for route in &c.routes {
                out.push_str(&format!("| `{route}` |"));
                for class in &c.http_class {
                    let mut cells: Vec<String> = Vec::new();
                    for row in c
                        .http
                        .iter()
                        .filter(|r| &r.route == route && r.class == class.id)
                    {
                        if let (Some(status), Some(code)) = (row.status, &row.code) {
                            let s = if status == 401 || status == 403 {
                                status.to_string()
                            } else if row.item {
                                format!("{status}, item `{code}`")
                            } else {
                                format!("{status} `{code}`")
                            };
                            if !cells.contains(&s) {
                                cells.push(s);
                            }
                        }
                    }
                    let cell = if cells.is_empty() {
                        "–".to_string()
                    } else {
                        cells.join(", ")
                    };
                    out.push_str(&format!(" {cell} |"));
                }
                out.push('\n');
            }
        }
        _ => unreachable!(),
    }
    out
}

#[test]
fn readme_sections_are_the_table_rendered() {
    let c = load();
    let path = repo().join("README.md");
    let mut readme = std::fs::read_to_string(&path).unwrap();
    let bless = std::env::var_os("PIIFLOW_BLESS").is_some();
    for section in SECTIONS {
        let begin = format!(
            "<!-- contract:{section}:begin (generated from fixtures/contract/contract.toml) -->\n"
        );
        let end = format!("<!-- contract:{section}:end -->");
        let start = readme
            .find(&begin)
            .unwrap_or_else(|| panic!("README.md has no {begin:?} marker"))
            + begin.len();
        let stop = start
            + readme[start..]
                .find(&end)
                .unwrap_or_else(|| panic!("README.md has no {end:?} marker"));
        let rendered = render(&c, section);
        if bless {
            readme.replace_range(start..stop, &rendered);
        } else {
            assert_eq!(
                readme[start..stop],
                rendered,
                "README.md's {section} section differs from the table: re-render with \
                 PIIFLOW_BLESS=1 cargo test -p cli --test contract readme"
            );
        }
    }
    if bless {
        std::fs::write(&path, readme).unwrap();
    }
}
