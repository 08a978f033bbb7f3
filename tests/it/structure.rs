//! The module graph flows one way: every `crate::` import in src/ points to a module of a
//! lower layer (never sideways, never up), as README "How it is built" draws it.

/// Top-level modules by layer, lowest first.
const LAYERS: &[&[&str]] = &[
    &["diag", "cli", "digest"],
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

/// The modules beside each other in one folder (`content/markdown.rs` and
/// `content/markdown/…` are `markdown` in `content`), with the siblings each imports.
fn sibling_imports(
    dir: &std::path::Path,
    parent: &str,
    out: &mut std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<String>>>,
) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let here = format!("{parent}::{name}");
        if path.is_dir() {
            sibling_imports(&path, &here, out);
        }
        // Test modules may use whatever they test; the parent (`mod.rs`) owns its children.
        let test_only = ["tests", "proptests", "test_support"].contains(&name.as_str());
        if name == "mod" || test_only {
            continue;
        }
        let mut files = vec![];
        if path.is_dir() {
            files_below(&path, &mut files);
        } else if path.extension().is_some_and(|x| x == "rs") {
            files.push(path.clone());
        } else {
            continue;
        }
        let siblings = out.entry(parent.to_string()).or_default();
        let imports = siblings.entry(name.clone()).or_default();
        for file in files {
            let test_file = file.file_stem().is_some_and(|s| {
                ["tests", "proptests", "test_support"].contains(&&*s.to_string_lossy())
            });
            if test_file {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            let direct = file.with_extension("") == path.with_extension("");
            let mut prefixes = vec![format!("{}::", parent.replacen("src", "crate", 1))];
            if direct {
                prefixes.push("super::".to_string());
            }
            // Test modules inside a file (`#[cfg(test)] mod tests`) may use what they test.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for prefix in &prefixes {
                    let mut rest = line;
                    while let Some(at) = rest.find(prefix.as_str()) {
                        rest = &rest[at + prefix.len()..];
                        let target: String = rest
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        if !target.is_empty() && target != name && !imports.contains(&target) {
                            imports.push(target);
                        }
                    }
                    // `use super::{a, b}`
                    if let Some(group) = line.trim().strip_prefix(&format!("use {prefix}{{")) {
                        for item in group.trim_end_matches("};").split(',') {
                            let target: String = item
                                .trim()
                                .chars()
                                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                                .collect();
                            if !target.is_empty() && target != name && !imports.contains(&target) {
                                imports.push(target);
                            }
                        }
                    }
                }
            }
        }
    }
}

fn files_below(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_below(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_modules_in_one_folder_import_each_other_in_a_circle() {
    let mut folders = std::collections::BTreeMap::new();
    sibling_imports(&crate::support::repo().join("src"), "src", &mut folders);
    let mut circles = Vec::new();
    for (folder, siblings) in &folders {
        // Depth-first search from each module, along imports of modules in the same folder.
        for start in siblings.keys() {
            let mut stack = vec![vec![start.clone()]];
            while let Some(path) = stack.pop() {
                let last = path.last().unwrap();
                for next in siblings.get(last).into_iter().flatten() {
                    if !siblings.contains_key(next) {
                        continue; // an item of the parent, not a sibling module
                    }
                    if next == start {
                        let mut circle = path.clone();
                        circle.push(start.clone());
                        // Each circle once: from its smallest module.
                        if path.iter().min() == Some(start) {
                            circles.push(format!("{folder}: {}", circle.join(" → ")));
                        }
                    } else if !path.contains(next) {
                        let mut longer = path.clone();
                        longer.push(next.clone());
                        stack.push(longer);
                    }
                }
            }
        }
    }
    circles.sort();
    circles.dedup();
    assert!(
        circles.is_empty(),
        "modules that import each other in a circle:\n{}",
        circles.join("\n")
    );
}

/// A public type's name says what it is, so two modules never give theirs the same name
/// (a reader who meets `Outcome` should not have to ask which one).
#[test]
fn no_two_modules_declare_a_public_type_of_the_same_name() {
    let mut sources = Vec::new();
    files_below(&crate::support::repo().join("src"), &mut sources);
    let mut seen: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for path in sources {
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            let Some(at) = words
                .iter()
                .position(|w| ["struct", "enum", "trait", "type"].contains(w))
            else {
                continue;
            };
            if at == 0 || !words[at - 1].starts_with("pub") {
                continue;
            }
            let Some(name) = words.get(at + 1) else {
                continue;
            };
            let name: String = name
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name.starts_with(char::is_uppercase) {
                seen.entry(name)
                    .or_default()
                    .push(path.display().to_string());
            }
        }
    }
    let shared: Vec<String> = seen
        .into_iter()
        .filter(|(_, files)| files.len() > 1)
        .map(|(name, files)| format!("{name}: {}", files.join(", ")))
        .collect();
    assert!(
        shared.is_empty(),
        "public types that share a name:\n{}",
        shared.join("\n")
    );
}
