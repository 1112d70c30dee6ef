"""Plays CloudFormation's part for the Keyring custom resource in moto server.

moto's CloudFormation creates a `Custom::` resource by invoking its function in Docker and
waits for the answer at its `cfnresponse` URL; without Docker the invocation never happens and
the stack stays CREATE_IN_PROGRESS. This sends the same Create request to the real
`piiflow-keyring-resource` binary instead, running at the `cargo lambda watch` Runtime API that
scripts/with-moto starts, so the function does its real work against moto's KMS and SSM and
answers moto's ResponseURL itself, which completes the stack.

The request's ResourceProperties are the template's, resolved for the stack: the three forms
the Keyring resource uses (Fn::GetAtt of a function's or a key's Arn, Fn::Sub over
AWS::StackName); anything else fails, so a template change is noticed here.

usage (under scripts/with-moto): python infra/tests/moto_custom_resource.py --stack NAME
"""

import argparse
import json
import os
import time
import uuid
from pathlib import Path

import boto3
from cfnlint.decode import cfn_yaml

import lambda_binary

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "infra" / "template.yaml"
FUNCTION = "piiflow-keyring-resource"
LOGICAL_ID = "Keyring"


def plain(x):
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [plain(v) for v in x]
    return str(x) if isinstance(x, str) else x


def resolve(value, stack, session):
    if isinstance(value, str):
        return value
    if "Fn::Sub" in value and isinstance(value["Fn::Sub"], str):
        return value["Fn::Sub"].replace("${AWS::StackName}", stack)
    if "Fn::GetAtt" in value:
        lid, attr = value["Fn::GetAtt"]
        resource = plain(cfn_yaml.load(str(TEMPLATE)))["Resources"][lid]
        if attr == "Arn" and resource["Type"] == "AWS::Lambda::Function":
            name = resolve(resource["Properties"]["FunctionName"], stack, session)
            return session.client("lambda").get_function_configuration(FunctionName=name)["FunctionArn"]
        if attr == "Arn" and resource["Type"] == "AWS::KMS::Key":
            # moto lists keys without their logical id; the stack's alias names this one.
            alias = next(r for r in plain(cfn_yaml.load(str(TEMPLATE)))["Resources"].values()
                         if r["Type"] == "AWS::KMS::Alias" and r["Properties"]["TargetKeyId"] == {"Ref": lid})
            alias_name = resolve(alias["Properties"]["AliasName"], stack, session)
            # DescribeKey of a key moto's CloudFormation made fails (its policy is kept as a
            # dict): the ARN is built from the alias's target instead.
            target = next(a["TargetKeyId"] for a in session.client("kms").list_aliases()["Aliases"]
                          if a["AliasName"] == alias_name)
            account = session.client("sts").get_caller_identity()["Account"]
            return f"arn:aws:kms:{session.region_name}:{account}:key/{target}"
    raise ValueError(f"moto_custom_resource: cannot resolve {value!r}")


def wait_for_stack(cfn, stack, statuses, seconds=60):
    for _ in range(seconds * 4):
        try:
            s = cfn.describe_stacks(StackName=stack)["Stacks"][0]
            if s["StackStatus"] in statuses:
                return s
        except cfn.exceptions.ClientError:
            pass
        time.sleep(0.25)
    return None


def answer(stack, session=None, log_dir=None):
    """Creates the stack's keyring through the real function; returns the function's answer."""
    session = session or boto3.session.Session(region_name=os.environ.get("AWS_REGION", "us-east-1"))
    cfn = session.client("cloudformation")
    s = wait_for_stack(cfn, stack, {"CREATE_IN_PROGRESS", "CREATE_COMPLETE"})
    if s is None:
        raise RuntimeError(f"stack {stack} did not appear")
    region = session.region_name
    props = plain(cfn_yaml.load(str(TEMPLATE)))["Resources"][LOGICAL_ID]["Properties"]
    properties = {k: resolve(v, stack, session) for k, v in props.items()}
    event = {
        "RequestType": "Create",
        "ServiceToken": properties["ServiceToken"],
        "ResponseURL": f"{os.environ['PIIFLOW_MOTO_URL']}/cloudformation_{region}/cfnresponse?stack={s['StackId']}",
        "StackId": s["StackId"],
        "RequestId": str(uuid.uuid4()),
        "LogicalResourceId": LOGICAL_ID,
        "ResourceType": "Custom::Keyring",
        "ResourceProperties": properties,
    }
    return lambda_binary.invoke(FUNCTION, event, log_dir=log_dir)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stack", required=True)
    args = ap.parse_args()
    print(json.dumps(answer(args.stack)))
