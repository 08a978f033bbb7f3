//! The module graph flows one way: every `crate::` import in src/ points to a module of a
//! lower layer (never sideways, never up), as README "How it is built" draws it.

/// Top-level modules by layer, lowest first.
const LAYERS: &[&[&str]] = &[
    &["diag", "cli"],
    &["confine", "finding"],
    &["project"],
    &["content"],
    &["world"],
    &["contract", "compile", "inspect"],
    &["export"],
    &["check", "print", "site"],
    &["formats"],
    &["pipeline"],
    &["cmd"],
];

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| l.contains(&module))
        .unwrap_or_else(|| panic!("module `{module}` has no layer in tests/it/structure.rs"))
}

/// Every `.rs` file under `dir`, with the top-level module it belongs to.
fn files(dir: &std::path::Path, top: Option<&str>, out: &mut Vec<(String, std::path::PathBuf)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            files(&path, Some(top.unwrap_or(&name)), out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            if let Some(module) = top.map(str::to_string).or(Some(name)) {
                out.push((module, path));
            }
        }
    }
}

#[test]
fn no_module_imports_one_above_or_beside_it() {
    let mut all = Vec::new();
    files(&crate::support::repo().join("src"), None, &mut all);
    let mut wrong = Vec::new();
    for (module, path) in all {
        if module == "main" || module == "lib" {
            continue;
        }
        let own = layer(&module);
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("crate::") {
                rest = &rest[at + "crate::".len()..];
                let target: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if target != module && layer(&target) >= own {
                    wrong.push(format!(
                        "{}:{}: {module} imports {target}",
                        path.display(),
                        i + 1
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that point up or sideways:\n{}",
        wrong.join("\n")
    );
}
