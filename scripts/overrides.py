#!/usr/bin/env python3
"""The one writer of Terraform override files: STACK_DIR/<kind>_override.tf.json beside a synthesized stack
(git-ignored; the synthesized cdk.tf.json, or the cdk.tf of make hcl, is never edited). Terraform merges them into the
stack's configuration at init, plan and apply. offline and local_state also apply to an HCL export; the others are
computed from the synthesized JSON.

  overrides.py write STACK_DIR offline             skip the provider's AWS checks and keep state in offline.tfstate
  overrides.py write STACK_DIR local_state PATH    keep the state in the local file PATH instead of the S3 backend
  overrides.py write STACK_DIR teardown            lift prevent_destroy and deletion protection; force_destroy buckets
  overrides.py write STACK_DIR mock_test           lift prevent_destroy (terraform test destroys what it applied);
                                                   local-exec provisioners record what they would run in LOCAL_EXEC_LOG
  overrides.py remove STACK_DIR KIND...            delete those overrides; absent ones are fine
  overrides.py path STACK_DIR KIND                 print where that override is written

The localaws override (the local AWS stand-in's endpoints and exclusions) is built by scripts/localaws.py, which
writes it through write() here.
"""
import json
import os
import sys

KINDS = ("offline", "local_state", "teardown", "mock_test", "localaws")


class OverrideError(ValueError):
    pass


def path(stack_dir, kind):
    if kind not in KINDS:
        raise OverrideError(f"override kind '{kind}' is unknown; use one of: {', '.join(KINDS)}")
    return os.path.join(stack_dir, f"{kind}_override.tf.json")


def write(stack_dir, kind, document):
    """Writes document as the stack's override of this kind, replacing an earlier one; returns its path."""
    target = path(stack_dir, kind)
    _synthesized(stack_dir)
    with open(target, "w") as f:
        json.dump(document, f, indent=2)
        f.write("\n")
    return target


def remove(stack_dir, *kinds):
    for kind in kinds:
        try:
            os.remove(path(stack_dir, kind))
        except FileNotFoundError:
            pass


def _synthesized(stack_dir, json_only=False):
    file = os.path.join(stack_dir, "cdk.tf.json")
    if os.path.isfile(file):
        return file
    hcl = os.path.join(stack_dir, "cdk.tf")
    if os.path.isfile(hcl):
        if json_only:
            raise OverrideError(f"STACK_DIR '{stack_dir}' holds the HCL export (cdk.tf), and this override is computed from "
                                "the synthesized JSON; use the stack make synth wrote (cdktf.out/stacks/<stack>)")
        return hcl
    raise OverrideError(f"STACK_DIR '{stack_dir}' holds no cdk.tf.json; name a synthesized stack folder "
                        "(cdktf.out/stacks/<stack>), after make synth")


def stack(stack_dir):
    """The synthesized configuration the overrides are computed from."""
    with open(_synthesized(stack_dir, json_only=True)) as f:
        return json.load(f)


def offline():
    """Dummy credentials come through the environment; the provider then must not check them against AWS."""
    return {
        "provider": {"aws": [{
            "skip_credentials_validation": True, "skip_requesting_account_id": True, "skip_metadata_api_check": "true",
            "skip_region_validation": True, "allowed_account_ids": None,
        }]},
        "terraform": {"backend": {"local": {"path": "offline.tfstate"}}},
    }


def local_state(state_path):
    if not state_path:
        raise OverrideError("local_state needs the PATH of the state file, e.g. terraform.bootstrap-dev.tfstate")
    return {"terraform": {"backend": {"local": {"path": state_path}}}}


def lift_protections(config, teardown):
    """prevent_destroy off on every protected resource; with teardown also deletion protection off and force_destroy
    on every bucket, so that Terraform can empty and delete them."""
    lifted_by_type = {}
    for rtype, named in config.get("resource", {}).items():
        for name, body in named.items():
            lifted = {}
            if body.get("lifecycle", {}).get("prevent_destroy"):
                lifted["lifecycle"] = {"prevent_destroy": False}
            if teardown and rtype == "aws_s3_bucket":
                lifted["force_destroy"] = True
            if teardown and body.get("deletion_protection_enabled"):
                lifted["deletion_protection_enabled"] = False
            if lifted:
                lifted_by_type.setdefault(rtype, {})[name] = lifted
    return {"resource": lifted_by_type} if lifted_by_type else {}


LOCAL_EXEC_LOG = "local-exec.jsonl"


def local_exec(config, extra_env=None, record=False):
    """Each resource's local-exec provisioners (an override's provisioners replace all of the original's), with
    extra_env added to their environment; with record they run nothing and append one JSON line per run to
    LOCAL_EXEC_LOG in the working directory instead: the resource's address, the command and its resolved environment."""
    out = {}
    for rtype, named in config.get("resource", {}).items():
        for name, body in named.items():
            provisioners = body.get("provisioner", [])
            if not any("local-exec" in p for p in provisioners):
                continue
            replaced = []
            for p in provisioners:
                kind, spec = next(iter(p.items()))
                if kind != "local-exec":
                    raise OverrideError(f"{rtype}.{name} has a {kind} provisioner; only local-exec is handled here")
                env = {**spec.get("environment", {}), **(extra_env or {})}
                if record:
                    env = {**env, "MLOPSTF_ADDRESS": f"{rtype}.{name}", "MLOPSTF_COMMAND": spec["command"]}
                    spec = {"command": "python3 -c 'import json, os, sys; print(json.dumps({k: os.environ[k] for k in sys.argv[1:]}, sort_keys=True))' "
                            + " ".join(sorted(env)) + f" >> {LOCAL_EXEC_LOG}"}
                replaced.append({"local-exec": {**spec, "environment": env}})
            out.setdefault(rtype, {})[name] = {"provisioner": replaced}
    return out


def merge_resources(document, by_type, skip=lambda rtype, name: False):
    """Adds each resource body of by_type ({type: {name: body}}) to document's resources, merged into what the
    document already overrides for that resource; returns document."""
    for rtype, named in by_type.items():
        for name, body in named.items():
            if not skip(rtype, name):
                document.setdefault("resource", {}).setdefault(rtype, {}).setdefault(name, {}).update(body)
    return document


def mock_test(config):
    return merge_resources(lift_protections(config, teardown=False), local_exec(config, record=True))


BUILDERS = {
    "offline": ([], lambda stack_dir: offline()),
    "local_state": (["PATH"], lambda stack_dir, state_path: local_state(state_path)),
    "teardown": ([], lambda stack_dir: lift_protections(stack(stack_dir), teardown=True)),
    "mock_test": ([], lambda stack_dir: mock_test(stack(stack_dir))),
}


def _write_command(stack_dir, kind, *args):
    path(stack_dir, kind)
    if kind not in BUILDERS:
        raise OverrideError(f"the {kind} override is written by scripts/{kind}.py, not from the command line here")
    params, build = BUILDERS[kind]
    if len(args) != len(params):
        usage = " ".join(["overrides.py write STACK_DIR", kind, *params])
        raise OverrideError(f"{kind} takes {len(params)} argument(s), got {len(args)}: {usage}")
    write(stack_dir, kind, build(stack_dir, *args))


def main(argv):
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    if command == "write" and len(rest) >= 2:
        _write_command(*rest)
    elif command == "remove" and len(rest) >= 2:
        remove(*rest)
    elif command == "path" and len(rest) == 2:
        print(path(*rest))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except OverrideError as e:
        sys.exit(f"error: {e}")
