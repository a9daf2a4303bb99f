//! The deployment files in `deploy/`: parsed and checked for what a deployment relies on
//! (no Docker engine or cluster needed). Checked against the code where they meet it: the
//! variables `src/config.rs` reads, the folders the build takes in, the port it listens on.

use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use serde_yaml::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every document of a YAML file.
fn yaml(path: &str) -> Vec<Value> {
    serde_yaml::Deserializer::from_str(&read(path))
        .map(|doc| Value::deserialize(doc).unwrap_or_else(|e| panic!("{path}: {e}")))
        .filter(|doc| !doc.is_null())
        .collect()
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_sequence().into_iter().flatten().map(|s| text(s).to_string()).collect()
}

/// The variables `src/config.rs` reads: the upper-case names it writes as strings.
fn config_variables() -> Vec<String> {
    let config = read("src/config.rs");
    // Any text between two quotes that is a name like QIAOLINK_DB_POOL.
    config
        .split('"')
        .filter(|n| n.len() > 3 && n.contains('_') && n.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
        .map(str::to_string)
        .collect()
}

/// A variable the service reads: one of `config_variables` (so a renamed variable fails
/// here), or `RUST_LOG`, which the log filter reads.
fn read_by_service(name: &str) -> bool {
    if name == "RUST_LOG" {
        let mut files = Vec::new();
        walk(&root().join("src"), &mut files);
        let rust = files.iter().filter(|f| f.extension().is_some_and(|e| e == "rs"));
        return rust
            .into_iter()
            .any(|f| std::fs::read_to_string(f).unwrap().contains("EnvFilter::try_from_default_env"));
    }
    config_variables().iter().any(|v| v == name)
}

/// `KEY=` lines, commented out or not.
fn documented_keys(path: &str) -> Vec<String> {
    read(path)
        .lines()
        .map(|l| l.trim_start_matches(['#', ' ']))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.to_string()))
        .filter(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
        .collect()
}

/// A tag that names a release, such as `15.15-bookworm` or `v1.41.0`: not `latest`, not a
/// bare major version.
fn pinned(image: &str) -> bool {
    let Some((_, tag)) = image.rsplit_once(':') else { return false };
    let version: String = tag
        .trim_start_matches('v')
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    version.contains('.') && version.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// The Dockerfile's instructions, continuation lines joined: (INSTRUCTION, arguments).
fn dockerfile() -> Vec<(String, String)> {
    let joined = read("deploy/Dockerfile").replace("\\\n", " ");
    joined
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (op, rest) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (op.to_uppercase(), rest.trim().to_string())
        })
        .collect()
}

/// What the image sets with ENV.
fn dockerfile_env(name: &str) -> Option<String> {
    dockerfile()
        .iter()
        .filter(|(op, _)| op == "ENV")
        .flat_map(|(_, args)| args.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_string))
}

/// The port the image listens on, from its QIAOLINK_LISTEN.
fn listen_port() -> u64 {
    let listen = dockerfile_env("QIAOLINK_LISTEN").expect("the image sets QIAOLINK_LISTEN");
    listen
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse().ok())
        .expect("QIAOLINK_LISTEN ends with a port")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { walk(&path, out) } else { out.push(path) }
    }
}

/// The top-level folders the crate takes in at build time.
fn folders_the_build_reads() -> Vec<String> {
    let mut files = Vec::new();
    walk(&root().join("src"), &mut files);
    let mut folders = vec!["src".to_string()];
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "rs")) {
        let code = std::fs::read_to_string(file).unwrap();
        let includes = ["include_str!(\"", "include_bytes!(\""]
            .map(|m| code.split(m).skip(1).collect::<Vec<_>>())
            .concat();
        for piece in includes {
            let rel = piece.split('"').next().unwrap();
            let mut path = PathBuf::new();
            for part in file.parent().unwrap().join(rel).components() {
                if part == Component::ParentDir {
                    path.pop();
                } else {
                    path.push(part);
                }
            }
            let inside = path
                .strip_prefix(root())
                .unwrap_or_else(|_| panic!("{rel} is outside the repository"));
            folders.push(inside.components().next().unwrap().as_os_str().to_string_lossy().into_owned());
        }
        if code.contains("#[template(") {
            folders.push("templates".into());
        }
        if code.contains("embed_migrations!(") {
            folders.push("migrations".into());
        }
    }
    folders.sort();
    folders.dedup();
    folders
}

#[test]
fn dockerfile_builds_in_stages_and_runs_unprivileged() {
    let steps = dockerfile();
    let froms: Vec<&String> = steps.iter().filter(|(op, _)| op == "FROM").map(|(_, a)| a).collect();
    assert!(
        froms.len() >= 2 && froms[0].to_lowercase().contains(" as "),
        "a named build stage, then the runtime: {froms:?}"
    );
    assert!(
        steps.iter().any(|(op, a)| op == "COPY" && a.starts_with("--from=")),
        "the runtime takes the binary from the build stage"
    );
    let last_from = steps.iter().rposition(|(op, _)| op == "FROM").unwrap();
    let user = steps.iter().rposition(|(op, _)| op == "USER").expect("a USER instruction");
    let who = &steps[user].1;
    assert!(
        user > last_from && who != "root" && who != "0" && !who.starts_with("0:") && !who.starts_with("root:"),
        "runs as {who}"
    );
    let installs: String = steps
        .iter()
        .filter(|(op, a)| op == "RUN" && a.contains("apt-get install"))
        .map(|(_, a)| a.as_str())
        .collect();
    for package in ["fonts-noto-cjk", "chromium"] {
        assert!(installs.split_whitespace().any(|w| w == package), "the runtime installs {package}");
    }
    assert!(folders_the_build_reads().len() > 1, "the scan of src/ found what it includes");

    let mut copied = Vec::new();
    for (_, args) in steps.iter().filter(|(op, _)| op == "COPY") {
        let words: Vec<&str> = args.split_whitespace().filter(|w| !w.starts_with("--")).collect();
        if args.starts_with("--from=") {
            continue;
        }
        for source in &words[..words.len() - 1] {
            assert!(root().join(source).exists(), "COPY {source}: no such path in the repository");
            copied.push(source.trim_end_matches('/').to_string());
        }
    }
    for folder in folders_the_build_reads() {
        assert!(
            copied.contains(&folder),
            "the build reads {folder}/ but the Dockerfile does not copy it"
        );
    }
    let ignored = read("deploy/Dockerfile.dockerignore");
    for pattern in ignored.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        assert!(
            !copied.iter().any(|c| c == pattern || c.starts_with(&format!("{pattern}/"))),
            "{pattern} is ignored but copied"
        );
    }
}

#[test]
fn compose_pins_images_checks_health_and_takes_secrets_from_the_env_file() {
    let compose = yaml("deploy/compose.yaml").remove(0);
    let services = compose["services"].as_mapping().expect("services");
    let port = listen_port();
    for (name, service) in services {
        let name = text(name);
        let image = text(&service["image"]);
        assert!(image.contains(':'), "{name}: image {image} has no tag");
        if !image.starts_with("qiaolink:") {
            assert!(pinned(image), "{name}: {image} is not pinned to a release");
        }
        for (dependency, how) in service["depends_on"].as_mapping().into_iter().flatten() {
            let condition = text(&how["condition"]);
            let needed = &services[text(dependency)];
            match condition {
                "service_healthy" => assert!(
                    needed["healthcheck"]["test"].is_sequence(),
                    "{name} waits for {dependency:?}, which has no healthcheck"
                ),
                "service_completed_successfully" => assert_eq!(strings(&needed["command"]), ["migrate"]),
                other => panic!("{name} depends on {dependency:?} with condition {other:?}: it should wait for health or completion"),
            }
        }
    }

    // The qiaolink services: what they run, what they are given.
    assert_eq!(strings(&services["migrate"]["command"]), ["migrate"]);
    assert_eq!(strings(&services["worker"]["command"]), ["worker"]);
    assert_eq!(strings(&services["app"]["command"]), ["serve", "--no-worker"]);
    for name in ["migrate", "app", "worker"] {
        let env = services[name]["environment"]
            .as_mapping()
            .unwrap_or_else(|| panic!("{name}: environment"));
        for key in env.keys() {
            assert!(
                read_by_service(text(key)),
                "{name} sets {}, which src/config.rs does not read",
                text(key)
            );
        }
        assert!(
            env.get("DATABASE_URL").map(text).unwrap_or("").starts_with("postgres://"),
            "{name}: DATABASE_URL"
        );
    }
    for name in ["app", "worker"] {
        let url = text(&services[name]["environment"]["MEILI_URL"]);
        assert!(
            url.starts_with("http://meilisearch:"),
            "{name} searches on the meilisearch service, not {url:?}"
        );
    }
    for variable in config_variables() {
        let given = services["app"]["environment"].as_mapping().unwrap().contains_key(variable.as_str());
        assert!(
            given || dockerfile_env(&variable).is_some(),
            "{variable} is read by the service but compose.yaml does not pass it"
        );
    }
    assert!(
        strings(&services["app"]["ports"]).iter().any(|p| p.ends_with(&format!(":{port}"))),
        "app publishes port {port}"
    );
    for name in ["app", "worker"] {
        let check = strings(&services[name]["healthcheck"]["test"]).join(" ");
        assert!(
            check.contains(&format!("/dev/tcp/127.0.0.1/{port}")) && check.contains("GET /healthz "),
            "{name} healthcheck: {check}"
        );
        assert!(!check.contains("curl"), "the qiaolink image has no curl");
        assert!(
            !check.replace("$$", "").contains('$'),
            "a single $ in a healthcheck is taken by compose: write $$"
        );
    }

    // Secrets: required from the env file wherever they are used, never written here.
    let raw = read("deploy/compose.yaml");
    for secret in ["POSTGRES_PASSWORD", "MEILI_MASTER_KEY"] {
        let uses: Vec<&str> = raw.split(&format!("${{{secret}")).skip(1).collect();
        assert!(!uses.is_empty(), "{secret} comes from the env file");
        assert!(
            uses.iter().all(|u| u.starts_with(":?")),
            "{secret} must be required (${{{secret}:?…}}) wherever it is used"
        );
    }
    let documented = documented_keys("deploy/env.example");
    for reference in raw.split("${").skip(1) {
        let name: String = reference.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        assert!(
            documented.contains(&name),
            "compose.yaml takes {name} from .env, but env.example does not show it"
        );
    }
}

/// Every object of the Kubernetes manifests that kustomization.yaml lists.
fn kubernetes() -> Vec<Value> {
    let kustomization = yaml("deploy/kubernetes/kustomization.yaml").remove(0);
    let listed = strings(&kustomization["resources"]);
    for entry in std::fs::read_dir(root().join("deploy/kubernetes")).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        if file.ends_with(".yaml") && file != "kustomization.yaml" {
            assert!(listed.contains(&file), "kustomization.yaml does not list {file}");
        }
    }
    listed.iter().flat_map(|file| yaml(&format!("deploy/kubernetes/{file}"))).collect()
}

fn kind<'a>(objects: &'a [Value], kind: &str) -> Vec<&'a Value> {
    objects.iter().filter(|o| o["kind"] == kind).collect()
}

fn containers(workload: &Value) -> Vec<&Value> {
    workload["spec"]["template"]["spec"]["containers"]
        .as_sequence()
        .map(|s| s.iter().collect())
        .unwrap_or_default()
}

/// The workload whose (single) qiaolink container runs these arguments first.
fn running<'a>(objects: &'a [Value], kind_: &str, first: &str) -> &'a Value {
    let found: Vec<&Value> = kind(objects, kind_)
        .into_iter()
        .filter(|w| {
            containers(w)
                .iter()
                .any(|c| strings(&c["args"]).first().is_some_and(|a| a == first))
        })
        .collect();
    assert_eq!(found.len(), 1, "one {kind_} running `{first}`");
    found[0]
}

/// The workloads: Deployments, StatefulSets and Jobs.
fn workloads(objects: &[Value]) -> Vec<&Value> {
    ["Deployment", "StatefulSet", "Job"].iter().flat_map(|k| kind(objects, k)).collect()
}

fn qiaolink_containers(objects: &[Value]) -> Vec<&Value> {
    let all = workloads(objects).into_iter().flat_map(containers);
    all.filter(|c| text(&c["image"]).starts_with("qiaolink")).collect()
}

#[test]
fn kubernetes_workloads_run_the_right_commands_safely() {
    let objects = kubernetes();
    let port = listen_port();
    for object in &objects {
        assert!(
            object["metadata"]["namespace"].is_null(),
            "{:?} names a namespace",
            object["metadata"]["name"]
        );
    }
    assert_eq!(strings(&containers(running(&objects, "Job", "migrate"))[0]["args"]), ["migrate"]);
    let worker = containers(running(&objects, "Deployment", "worker"))[0];
    assert_eq!(strings(&worker["args"]), ["worker"]);
    assert_eq!(
        text(&worker["livenessProbe"]["httpGet"]["path"]),
        "/healthz",
        "the worker answers /healthz"
    );

    let app = running(&objects, "Deployment", "serve");
    assert!(app["spec"]["replicas"].as_u64().unwrap_or(1) > 1, "several app replicas");
    let container = containers(app)[0];
    assert_eq!(strings(&container["args"]), ["serve", "--no-worker"], "the workers run apart");
    let ports = container["ports"].as_sequence().expect("container ports");
    let port_name = ports
        .iter()
        .find(|p| p["containerPort"].as_u64() == Some(port))
        .map(|p| text(&p["name"]));
    assert!(port_name.is_some(), "the container port is {port}, where the service listens");
    for (probe, path) in [("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")] {
        let get = &container[probe]["httpGet"];
        assert_eq!(text(&get["path"]), path, "{probe}");
        assert!(
            get["port"].as_u64() == Some(port) || Some(text(&get["port"])) == port_name,
            "{probe} asks port {:?}",
            get["port"]
        );
    }
    let annotations = &app["spec"]["template"]["metadata"]["annotations"];
    assert_eq!(text(&annotations["prometheus.io/scrape"]), "true");
    assert_eq!(text(&annotations["prometheus.io/port"]), port.to_string());
    assert_eq!(text(&annotations["prometheus.io/path"]), "/metrics");

    // Every pod as a non-root user, with resources; qiaolink on a read-only root with
    // somewhere to write its data folder and /tmp.
    let data_dir = dockerfile_env("QIAOLINK_DATA_DIR").expect("the image sets QIAOLINK_DATA_DIR");
    for workload in workloads(&objects) {
        let name = text(&workload["metadata"]["name"]);
        let pod = &workload["spec"]["template"]["spec"];
        for c in containers(workload) {
            let non_root = c["securityContext"]["runAsNonRoot"]
                .as_bool()
                .or(pod["securityContext"]["runAsNonRoot"].as_bool());
            assert_eq!(non_root, Some(true), "{name}: runAsNonRoot");
            for what in ["requests", "limits"] {
                assert!(
                    c["resources"][what]["memory"].is_string() && !c["resources"][what]["cpu"].is_null(),
                    "{name}: {what}"
                );
            }
            if text(&c["image"]).starts_with("qiaolink") {
                assert_eq!(
                    pod["securityContext"]["runAsUser"].as_u64(),
                    Some(10001),
                    "{name}: the image's user"
                );
                assert_eq!(
                    c["securityContext"]["readOnlyRootFilesystem"].as_bool(),
                    Some(true),
                    "{name}: read-only root"
                );
                let mounts: Vec<String> = c["volumeMounts"]
                    .as_sequence()
                    .into_iter()
                    .flatten()
                    .map(|m| text(&m["mountPath"]).to_string())
                    .collect();
                assert!(mounts.iter().any(|m| m == "/tmp"), "{name}: /tmp is writable");
                if text(&workload["kind"]) == "Deployment" {
                    assert!(
                        mounts.iter().any(|m| Path::new(&data_dir).starts_with(m)),
                        "{name}: {data_dir} is writable"
                    );
                }
            }
        }
    }
}

#[test]
fn kubernetes_images_secrets_and_settings_hold_together() {
    let objects = kubernetes();
    let ours = qiaolink_containers(&objects);
    assert!(ours.len() >= 3, "the migration Job, the app and the worker");
    let image = text(&ours[0]["image"]);
    assert!(
        pinned(image) && ours.iter().all(|c| c["image"] == image),
        "one pinned qiaolink image everywhere, not {image}"
    );
    let kustomization = yaml("deploy/kubernetes/kustomization.yaml").remove(0);
    for entry in kustomization["images"].as_sequence().into_iter().flatten() {
        assert!(
            pinned(&format!("x:{}", text(&entry["newTag"]))),
            "kustomization.yaml: image tag {:?}",
            entry["newTag"]
        );
    }
    let compose = yaml("deploy/compose.yaml").remove(0);
    let meili = text(&compose["services"]["meilisearch"]["image"]);
    let images = workloads(&objects).into_iter().flat_map(containers).map(|c| text(&c["image"]));
    for other in images.filter(|i| !i.starts_with("qiaolink")) {
        assert!(pinned(other), "{other} is not pinned to a release");
        if other.starts_with("getmeili/") {
            assert_eq!(other, meili, "Meilisearch runs the same version as in compose.yaml");
        }
    }

    let config_maps = kind(&objects, "ConfigMap");
    let data_of = |name: &str| {
        let found = config_maps.iter().find(|m| m["metadata"]["name"] == name);
        found.unwrap_or_else(|| panic!("no ConfigMap {name}"))["data"]
            .as_mapping()
            .cloned()
            .unwrap_or_default()
    };
    let mut secret_names = Vec::new();
    let mut given = Vec::new();
    let documented = [
        documented_keys("deploy/kubernetes/secret.env.example"),
        documented_keys("deploy/env.example"),
    ]
    .concat();
    for c in ours {
        let mut names: Vec<String> = Vec::new();
        for from in c["envFrom"].as_sequence().into_iter().flatten() {
            let map = text(&from["configMapRef"]["name"]);
            assert!(from["secretRef"].is_null(), "secrets are taken key by key (secretKeyRef)");
            names.extend(data_of(map).keys().map(|k| text(k).to_string()));
        }
        for var in c["env"].as_sequence().into_iter().flatten() {
            names.push(text(&var["name"]).to_string());
            let secret = &var["valueFrom"]["secretKeyRef"];
            if !secret.is_null() {
                secret_names.push(text(&secret["name"]).to_string());
                let key = text(&secret["key"]);
                assert!(
                    documented.contains(&key.to_string()),
                    "Secret key {key} is in neither secret.env.example nor env.example"
                );
            }
            let map = &var["valueFrom"]["configMapKeyRef"];
            if !map.is_null() {
                assert!(
                    data_of(text(&map["name"])).contains_key(text(&map["key"])),
                    "ConfigMap key {:?}",
                    map["key"]
                );
            }
        }
        for name in &names {
            assert!(read_by_service(name), "{name} is set but src/config.rs does not read it");
        }
        given.extend(names.iter().cloned());
        if !strings(&c["args"]).contains(&"migrate".to_string()) {
            for needed in ["DATABASE_URL", "MEILI_URL", "MEILI_MASTER_KEY"] {
                assert!(
                    names.iter().any(|n| n == needed),
                    "{needed} is not given to {:?}: the replicas share one Meilisearch",
                    c["args"]
                );
            }
        }
    }
    for variable in config_variables() {
        assert!(
            given.contains(&variable) || dockerfile_env(&variable).is_some(),
            "no qiaolink pod is given {variable}"
        );
    }
    secret_names.sort();
    secret_names.dedup();
    assert_eq!(secret_names.len(), 1, "one Secret: {secret_names:?}");
    let readme = read("deploy/README.md");
    assert!(
        readme.contains(&format!("create secret generic {} ", secret_names[0])),
        "the README shows how to create the Secret"
    );
}

#[test]
fn the_image_smoke_test_is_a_runnable_script() {
    let path = root().join("deploy/smoke-test");
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&path).unwrap().permissions());
    assert!(mode & 0o111 != 0, "deploy/smoke-test is executable");
    let check = std::process::Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert!(check.status.success(), "bash -n: {}", String::from_utf8_lossy(&check.stderr));
    // It probes /healthz the way compose.yaml's health check does, on its own port.
    let compose = read("deploy/compose.yaml");
    let script = read("deploy/smoke-test");
    for part in ["exec 3<>/dev/tcp/127.0.0.1/", r"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", "read -r status <&3"] {
        assert!(compose.contains(part) && script.contains(part), "both probe with {part:?}");
    }
}

/// The manifests against the Kubernetes API's own schemas, where `kubernetes-validate`
/// (`pip install kubernetes-validate`) is installed.
#[test]
fn kubernetes_manifests_match_the_api_schemas() {
    let dir = root().join("deploy/kubernetes");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml") && !p.ends_with("kustomization.yaml"))
        .collect();
    files.sort();
    let run = std::process::Command::new("kubernetes-validate")
        .args(["--kubernetes-version", "1.31", "--strict"])
        .args(&files)
        .output();
    match run {
        Err(_) => eprintln!("kubernetes-validate is not installed: the schema check of the manifests is skipped"),
        Ok(out) => assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}
