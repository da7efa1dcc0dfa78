#!/usr/bin/env python3
"""Checks the files of deploy/ as far as one machine without a cluster can.

    python3 deploy/check.py            (from the repository's root; needs PyYAML)

1. Every YAML file parses (every document of it), and so does the vouch.yaml inside the
   ConfigMap; every JSON file parses.
2. The example configurations agree with the manifests: every file:/etc/vouch/... reference of
   the ConfigMap's vouch.yaml is a file of the Deployment's projected volume, every path Vouch
   writes to is under the volume at /var/lib/vouch, and every env:NAME of the systemd example
   is set in vouch.env.example.
3. `vouch config check` on both example configurations: first as they are (on this machine /etc/vouch and
   /var/lib/vouch do not exist, so it names what is missing), then moved under a temporary
   directory holding what a real installation has: the directories, a throw-away PKCS#12 key
   store, the secret files and variables with dummy values. Needs
   reconciler-app/target/vouch.jar (./mvnw -q -pl reconciler-app -am package -DskipTests).
4. `systemd-analyze verify` and `systemd-analyze security --offline=true` on the units, when
   systemd-analyze is installed.
5. `kubectl kustomize deploy/kubernetes` (offline), when kubectl is installed.
6. With --k8s-models DIR: every Kubernetes object against the API's schemas (required fields
   and types; unknown fields are not reported), with the npm package kubernetes-models
   installed in DIR:  npm install --prefix DIR kubernetes-models@5.1.0 js-yaml@4

Exits 1 when a check that can run here fails; prints what it skipped.
"""

import json
import pathlib
import shutil
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    sys.exit("deploy/check.py needs PyYAML (pip install pyyaml, or apt-get install python3-yaml)")

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
JAR = ROOT / "reconciler-app" / "target" / "vouch.jar"
failures = []


def fail(message):
    failures.append(message)
    print("  FAIL " + message)


def section(title):
    print("\n== " + title)


def k8s_documents():
    docs = {}
    for path in sorted((DEPLOY / "kubernetes").glob("*.yaml")):
        docs[path.name] = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
    return docs


def parse_everything():
    section("YAML and JSON parse")
    for path in sorted(DEPLOY.rglob("*.yaml")):
        try:
            docs = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
        except yaml.YAMLError as e:
            fail(f"{path.relative_to(ROOT)}: {e}")
            continue
        kinds = ", ".join(f"{d.get('kind', '?')}/{d.get('metadata', {}).get('name', '?')}"
                          if isinstance(d, dict) and "kind" in d else "config" for d in docs)
        print(f"  ok   {path.relative_to(ROOT)}: {len(docs)} document(s) ({kinds})")
    for path in sorted(DEPLOY.rglob("*.json")):
        try:
            json.loads(path.read_text())
            print(f"  ok   {path.relative_to(ROOT)}")
        except json.JSONDecodeError as e:
            fail(f"{path.relative_to(ROOT)}: {e}")


def configmap_vouch_yaml(docs):
    for doc in docs["configmap.yaml"]:
        if doc.get("kind") == "ConfigMap" and "vouch.yaml" in doc.get("data", {}):
            return doc["data"]["vouch.yaml"]
    raise SystemExit("configmap.yaml holds no data.vouch.yaml")


def strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)
    elif isinstance(node, str):
        yield node


def written_paths(config):
    """The paths Vouch writes to: the store, mirrors and spools."""
    paths = [("store.path", config.get("store", {}).get("path"))]
    for i, source in enumerate(config.get("sources", [])):
        for key in ("mirror", "spool"):
            if key in source:
                paths.append((f"sources[{i}].{key}", source[key]))
    return [(where, p) for where, p in paths if p]


def cross_check(docs, k8s_config, systemd_config):
    section("the configurations agree with the manifests")
    deployment = next(d for d in docs["deployment.yaml"] if d.get("kind") == "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    vouch = next(c for c in pod["containers"] if c["name"] == "vouch")
    mounts = {m["name"]: m for m in vouch["volumeMounts"]}
    projected = set()
    for volume in pod["volumes"]:
        if "projected" in volume and volume["name"] in mounts:
            base = mounts[volume["name"]]["mountPath"].rstrip("/")
            for source in volume["projected"]["sources"]:
                for kind in ("configMap", "secret"):
                    for item in source.get(kind, {}).get("items", []):
                        projected.add(f"{base}/{item['path']}")
    for ref in sorted(set(s for s in strings(k8s_config) if s.startswith("file:"))):
        path = ref[len("file:"):]
        if path in projected:
            print(f"  ok   {ref} is projected by deployment.yaml")
        else:
            fail(f"{ref}: no such file in deployment.yaml's projected volume")
    keystores = [s["tls"]["keyStore"] for s in k8s_config.get("sources", []) if "tls" in s]
    for path in keystores:
        if path in projected:
            print(f"  ok   key store {path} is projected by deployment.yaml")
        else:
            fail(f"key store {path}: not in deployment.yaml's projected volume")
    data = mounts["data"]["mountPath"].rstrip("/") + "/"
    for where, path in written_paths(k8s_config):
        if path.startswith(data):
            print(f"  ok   {where} {path} is on the data volume")
        else:
            fail(f"{where} {path} is not under {data}, which is the only writable place")
    if k8s_config["store"]["type"] == "sqlite":
        if deployment["spec"]["replicas"] == 1 and deployment["spec"]["strategy"]["type"] == "Recreate":
            print("  ok   SQLite store: one replica, replaced with Recreate")
        else:
            fail("a SQLite store needs replicas: 1 and strategy Recreate")
    pod_security = pod.get("securityContext", {})
    if pod_security.get("runAsNonRoot") and pod_security.get("seccompProfile", {}).get(
            "type") == "RuntimeDefault":
        print("  ok   pod: runAsNonRoot, seccomp RuntimeDefault")
    else:
        fail("pod: runAsNonRoot and seccompProfile RuntimeDefault expected")
    for container in pod["containers"]:
        sc = container.get("securityContext", {})
        if (sc.get("readOnlyRootFilesystem") and sc.get("allowPrivilegeEscalation") is False
                and sc.get("capabilities", {}).get("drop") == ["ALL"]
                and "limits" in container.get("resources", {})):
            print(f"  ok   container {container['name']}: read-only root, no privilege escalation,"
                  " no capabilities, memory limit")
        else:
            fail(f"container {container['name']}: securityContext or resources incomplete")
    ports = {p["containerPort"] for p in vouch["ports"]}
    wanted = {k8s_config["server"]["port"]} | {
        int(s["listen"].rsplit(":", 1)[1]) for s in k8s_config["sources"] if "listen" in s}
    if wanted <= ports:
        print(f"  ok   container ports {sorted(ports)} cover server.port and every listen")
    else:
        fail(f"container ports {sorted(ports)} miss {sorted(wanted - ports)}")

    env_file = (DEPLOY / "systemd" / "vouch.env.example").read_text().splitlines()
    defined = {line.split("=", 1)[0].lstrip("#") for line in env_file
               if "=" in line and not line.startswith("# ")}
    for ref in sorted(set(s for s in strings(systemd_config) if s.startswith("env:"))):
        name = ref[len("env:"):]
        if name in defined:
            print(f"  ok   {ref} is in vouch.env.example")
        else:
            fail(f"{ref}: not in deploy/systemd/vouch.env.example")
    for where, path in written_paths(systemd_config):
        if path.startswith("/var/lib/vouch/"):
            print(f"  ok   {where} {path} is in the unit's StateDirectory")
        else:
            fail(f"{where} {path} is outside /var/lib/vouch, which the unit cannot write")


def config_check(name, config):
    section(f"vouch config check: {name}")
    if not JAR.exists():
        print(f"  SKIP {JAR.relative_to(ROOT)} is missing; build it with"
              " ./mvnw -q -pl reconciler-app -am package -DskipTests")
        return
    if shutil.which("java") is None:
        print("  SKIP no java on the PATH")
        return
    trimmed = dict(config)
    with tempfile.TemporaryDirectory(prefix="vouch-deploy-check-") as tmp:
        tmp = pathlib.Path(tmp)
        as_is = tmp / "as-is.yaml"
        as_is.write_text(yaml.safe_dump(trimmed, sort_keys=False))
        result = run_check(as_is, {})
        print(f"  as written, exit {result.returncode}:")
        print(indent(result.stdout + result.stderr))

        root = tmp / "root"
        text = yaml.safe_dump(trimmed, sort_keys=False)
        text = text.replace("/var/lib/vouch", f"{root}/var/lib/vouch")
        text = text.replace("/etc/vouch", f"{root}/etc/vouch")
        moved = yaml.safe_load(text)
        env = {}
        password = "throw-away-test-password"
        for source in moved.get("sources", []):
            if source.get("type") == "cloudtrail":
                pathlib.Path(source["path"]).mkdir(parents=True, exist_ok=True)
            keystore = source.get("tls", {}).get("keyStore")
            if keystore:
                make_keystore(pathlib.Path(keystore), password)
        for ref in set(s for s in strings(moved) if s.startswith(("env:", "file:"))):
            value = password if "tls" in ref.lower() or "keystore" in ref.lower() else "dummy"
            if ref.startswith("env:"):
                env[ref[len("env:"):]] = value
            else:
                path = pathlib.Path(ref[len("file:"):])
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(value + "\n")
        (root / "etc" / "vouch").mkdir(parents=True, exist_ok=True)
        target = root / "etc" / "vouch" / "vouch.yaml"
        target.write_text(yaml.safe_dump(moved, sort_keys=False))
        result = run_check(target, env)
        print(f"  moved under a temporary root with its files and secrets, exit {result.returncode}:")
        print(indent(result.stdout + result.stderr))
        if result.returncode != 0:
            fail(f"{name}: vouch config check exits {result.returncode} with every file in place")


def run_check(path, env):
    import os
    full_env = dict(os.environ)
    full_env.update(env)
    return subprocess.run(["java", "-jar", str(JAR), "config", "check", "--config", str(path)],
                          capture_output=True, text=True, env=full_env)


def make_keystore(path, password):
    if shutil.which("keytool") is None:
        raise SystemExit("keytool (JDK) is needed to make a throw-away key store")
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["keytool", "-genkeypair", "-alias", "vouch", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=vouch.invalid", "-validity", "1",
                    "-storetype", "PKCS12", "-keystore", str(path),
                    "-storepass", password, "-keypass", password],
                   check=True, capture_output=True)


def indent(text):
    return "\n".join("       " + line for line in text.strip().splitlines()) or "       (nothing)"


def systemd_units():
    section("systemd units")
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        print("  SKIP systemd-analyze is not installed")
        return
    for unit in sorted((DEPLOY / "systemd").glob("*.service")) + sorted(
            (DEPLOY / "systemd").glob("*.timer")):
        result = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True)
        output = (result.stdout + result.stderr).strip()
        missing_tool = "is not executable: No such file or directory" in output
        status = "ok  " if result.returncode == 0 else ("note" if missing_tool else "FAIL")
        print(f"  {status} systemd-analyze verify {unit.name}: exit {result.returncode}"
              + (f"\n{indent(output)}" if output else ""))
        if result.returncode != 0 and not missing_tool:
            fail(f"systemd-analyze verify {unit.name}")
        if unit.suffix == ".service":
            result = subprocess.run([analyze, "security", "--offline=true", str(unit)],
                                    capture_output=True, text=True)
            last = (result.stdout + result.stderr).strip().splitlines()[-1:]
            print(f"       systemd-analyze security: {' '.join(last)}")


SCHEMA_CHECK = r"""
import fs from 'fs';
import yaml from 'js-yaml';
let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, 'utf8'))) {
    if (!doc || !doc.kind || doc.kind === 'Kustomization') continue;
    const group = doc.apiVersion.includes('/') ? doc.apiVersion : `v1`;
    const models = await import(`kubernetes-models/${group}`);
    try {
      new models[doc.kind](doc).validate();
      console.log(`  ok   ${file.split('/').slice(-2).join('/')}: ${doc.kind}/${doc.metadata.name}`);
    } catch (e) {
      failed++;
      console.log(`  FAIL ${file}: ${doc.kind}/${doc.metadata.name}: ${e.message}`);
    }
  }
}
process.exit(failed ? 1 : 0);
"""


def schemas(models_dir):
    section("Kubernetes objects against the API's schemas (kubernetes-models)")
    if models_dir is None:
        print("  SKIP pass --k8s-models DIR (npm install --prefix DIR kubernetes-models@5.1.0"
              " js-yaml@4)")
        return
    if shutil.which("node") is None:
        print("  SKIP no node on the PATH")
        return
    script = pathlib.Path(models_dir) / "vouch-deploy-schemas.mjs"
    script.write_text(SCHEMA_CHECK)
    files = [str(p) for p in sorted((DEPLOY / "kubernetes").glob("*.yaml"))]
    result = subprocess.run(["node", str(script)] + files, capture_output=True, text=True)
    print((result.stdout + result.stderr).rstrip())
    if result.returncode != 0:
        fail("Kubernetes schema check")


def kustomize():
    section("kubectl kustomize deploy/kubernetes")
    if shutil.which("kubectl") is None:
        print("  SKIP kubectl is not installed")
        return
    result = subprocess.run(["kubectl", "kustomize", str(DEPLOY / "kubernetes")],
                            capture_output=True, text=True)
    if result.returncode != 0:
        fail("kubectl kustomize: " + result.stderr.strip())
        return
    objects = [d for d in yaml.safe_load_all(result.stdout) if d]
    names = ", ".join(f"{d['kind']}/{d['metadata'].get('namespace', '-')}/{d['metadata']['name']}"
                      for d in objects)
    print(f"  ok   {len(objects)} objects: {names}")
    if any(d["kind"] == "Secret" for d in objects):
        fail("kustomization.yaml must not install the example Secret")


def main():
    models_dir = None
    if len(sys.argv) == 3 and sys.argv[1] == "--k8s-models":
        models_dir = sys.argv[2]
    elif len(sys.argv) != 1:
        sys.exit("usage: python3 deploy/check.py [--k8s-models DIR]")
    parse_everything()
    docs = k8s_documents()
    k8s_config = yaml.safe_load(configmap_vouch_yaml(docs))
    systemd_config = yaml.safe_load((DEPLOY / "systemd" / "vouch.example.yaml").read_text())
    cross_check(docs, k8s_config, systemd_config)
    config_check("kubernetes/configmap.yaml (vouch.yaml)", k8s_config)
    config_check("systemd/vouch.example.yaml", systemd_config)
    systemd_units()
    kustomize()
    schemas(models_dir)
    print()
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all checks that could run here passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
