//! Finding codes: the enum in src/finding.rs and the tables in README.md and docs/print.md
//! list the same codes, with the same usual severity.

use std::collections::BTreeMap;

use folio::finding::Code;

/// `code → severity word` from every table row like "| `code` | error | …".
fn documented() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for file in ["README.md", "docs/print.md"] {
        let text = std::fs::read_to_string(crate::support::repo().join(file)).unwrap();
        for line in text.lines() {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            if cells.len() < 4 || !cells[0].is_empty() {
                continue;
            }
            let (Some(code), Some(severity)) = (
                cells[1].strip_prefix('`').and_then(|c| c.strip_suffix('`')),
                cells[2].split_whitespace().next(),
            ) else {
                continue;
            };
            if ["error", "warning", "note"].contains(&severity) {
                let previous = out.insert(code.to_string(), severity.to_string());
                assert!(previous.is_none(), "{code} is documented twice");
            }
        }
    }
    out
}

#[test]
fn every_finding_code_is_documented_with_its_severity() {
    let documented = documented();
    for code in Code::ALL {
        let severity = documented
            .get(code.name())
            .unwrap_or_else(|| panic!("{} is not in README.md or docs/print.md", code.name()));
        let expected = serde_json::to_value(code.severity()).unwrap();
        assert_eq!(
            severity,
            expected.as_str().unwrap(),
            "{}: documented severity",
            code.name()
        );
    }
}

#[test]
fn every_documented_code_exists() {
    let names: Vec<&str> = Code::ALL.iter().map(|c| c.name()).collect();
    for code in documented().keys() {
        assert!(
            names.contains(&code.as_str()),
            "`{code}` is documented but folio has no such code"
        );
    }
}

#[test]
fn codes_serialise_as_their_kebab_case_names() {
    for code in Code::ALL {
        assert_eq!(serde_json::to_value(code).unwrap(), code.name());
        assert!(!code.description().is_empty());
    }
}

#[test]
fn every_former_code_name_is_documented_beside_its_new_name() {
    let readme = std::fs::read_to_string(crate::support::repo().join("README.md")).unwrap();
    for code in Code::ALL {
        for former in code.former_names() {
            let row = readme
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", code.name())))
                .unwrap_or_else(|| panic!("{} has no row", code.name()));
            assert!(
                row.contains(&format!("`{former}`")),
                "{former} is not named in {}'s row",
                code.name()
            );
        }
    }
}
