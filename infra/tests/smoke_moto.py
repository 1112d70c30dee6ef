"""Smoke deployment of infra/template.yaml into moto server's CloudFormation.

Run inside scripts/with-moto (AWS_ENDPOINT_URL points at moto). Creates the artifact bucket,
uploads dummy zips and the real ASL files, creates the stack with SmokeTest=true, waits for
CREATE_COMPLETE and checks the resources moto implements. Prints "ok"/"FAIL" lines and a
final "smoke: N passed, M failed"; exits 1 on any failure.

The stack is the production template, unchanged. Its Keyring custom resource is created by
the real piiflow-keyring-resource binary (moto_custom_resource.py sends it the Create request
moto cannot deliver without Docker); the stack reaches CREATE_COMPLETE when the function
answers moto's ResponseURL, and the keyring it made is checked below. moto's CloudFormation skips the types it does
not implement with a warning in its log (Cognito, ApiGatewayV2, S3 BucketPolicy, SQS
QueuePolicy; a Ref to them stays an unresolved "${X}" in outputs), drops several properties
(table SSE/TTL/PITR, Lambda Architectures, bucket PublicAccessBlock: reported as "skip" here,
test_template.py checks them) and ignores DefinitionS3Location, DefinitionSubstitutions and
StateMachineType (state machines get an empty definition and type STANDARD), which is why the
definitions are checked by test_template.py and statemachine/validate.sh instead.
"""

import ast
import base64
import shutil
import subprocess
import io
import json
import os
import sys
import time
import zipfile
from pathlib import Path

import boto3

import lambda_binary
import moto_custom_resource

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "infra" / "template.yaml"
FUNCTIONS = ["detect", "mask", "deidentify", "reidentify", "api", "pretoken", "keyring-resource", "ingest"]
STACK = "piiflow-smoke"
ARTIFACTS = "piiflow-smoke-artifacts"
PREFIX = "piiflow/smoke"

passed = 0
failed = 0
skipped = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"  ok   {name}")
    else:
        failed += 1
        print(f"  FAIL {name} {detail}")


def modelled(name, cond, detail=""):
    """A property moto's CloudFormation ignores (it drops it when creating the resource):
    passes when moto shows it, otherwise a skip - the structural test checks it instead."""
    global passed, skipped
    if cond:
        passed += 1
        print(f"  ok   {name}")
    else:
        skipped += 1
        print(f"  skip {name} (not modelled by moto's CloudFormation; checked by test_template.py) {detail}")


def dummy_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("bootstrap")
        info.external_attr = 0o755 << 16
        z.writestr(info, "#!/bin/sh\necho dummy\n")
    return buf.getvalue()


def main():
    if not os.environ.get("AWS_ENDPOINT_URL"):
        sys.exit("smoke_moto.py: AWS_ENDPOINT_URL is not set (run under scripts/with-moto)")
    session = boto3.session.Session(region_name=os.environ.get("AWS_REGION", "us-east-1"))
    s3 = session.client("s3")
    cfn = session.client("cloudformation")

    s3.create_bucket(Bucket=ARTIFACTS)
    z = dummy_zip()
    for f in FUNCTIONS:
        s3.put_object(Bucket=ARTIFACTS, Key=f"{PREFIX}/{f}.zip", Body=z)
    for sm in ["documents", "records", "jobs"]:
        body = (ROOT / "statemachine" / f"{sm}.asl.json").read_bytes()
        s3.put_object(Bucket=ARTIFACTS, Key=f"{PREFIX}/statemachine/{sm}.asl.json", Body=body)

    params = {
        "ArtifactBucket": ARTIFACTS,
        "ArtifactPrefix": PREFIX,
        "CognitoDomainPrefix": "piiflow-smoke",
        "DeletionProtection": "false",
    }
    # Over 51,200 bytes: CloudFormation takes the template from S3, as infra/deploy sends it.
    s3.put_object(Bucket=ARTIFACTS, Key=f"{PREFIX}/template.yaml", Body=TEMPLATE.read_bytes())
    cfn.create_stack(
        StackName=STACK,
        # moto finds the bucket of a template URL in its path only when the host is "localhost".
        TemplateURL=f"{os.environ['AWS_ENDPOINT_URL'].replace('127.0.0.1', 'localhost')}/{ARTIFACTS}/{PREFIX}/template.yaml",
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in params.items()],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
    )
    keyring_answer = moto_custom_resource.answer(STACK, session)
    check("keyring resource answered SUCCESS with the parameter as its physical id",
          keyring_answer.get("Status") == "SUCCESS" and keyring_answer.get("PhysicalResourceId") == f"/{STACK}/keyring"
          and keyring_answer.get("NoEcho") is True, str({k: v for k, v in keyring_answer.items() if k != "Data"}))
    status = None
    for _ in range(120):
        stack = cfn.describe_stacks(StackName=STACK)["Stacks"][0]
        status = stack["StackStatus"]
        if not status.endswith("IN_PROGRESS"):
            break
        time.sleep(0.5)
    check("stack CREATE_COMPLETE", status == "CREATE_COMPLETE", f"(got {status}: {stack.get('StackStatusReason')})")
    if status != "CREATE_COMPLETE":
        for ev in cfn.describe_stack_events(StackName=STACK)["StackEvents"]:
            if "FAILED" in ev.get("ResourceStatus", ""):
                print(f"       {ev['LogicalResourceId']}: {ev.get('ResourceStatusReason')}")
        return

    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    # moto lists some resources (KMS, DynamoDB, S3) without their logical id: find things
    # through outputs, aliases and names instead of list_stack_resources.

    required = ["ApiUrl", "UserPoolId", "PipelineClientId", "AuditorClientId", "TokenUrl", "DocumentBucket",
                "VaultTable", "AuditTable", "DocumentsStateMachineArn", "RecordsStateMachineArn"]
    present = [k for k in required if k in outputs]
    # Outputs of skipped resources (Cognito, HTTP API) only exist when moto resolves them.
    check("outputs present (besides Cognito/HTTP API ones moto cannot resolve)",
          all(k in outputs for k in ["DocumentBucket", "VaultTable", "AuditTable", "DocumentsStateMachineArn", "RecordsStateMachineArn"]),
          str(sorted(outputs)))
    modelled("all required outputs present", len(present) == len(required), str(sorted(set(required) - set(present))))

    # Tables: existence, key, SSE with the stack's table key, TTL, PITR.
    ddb = session.client("dynamodb")
    kms = session.client("kms")
    aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
    check("KMS aliases", {f"alias/{STACK}-data", f"alias/{STACK}-tables"} <= set(aliases), str(aliases))
    key_ids = {"DataKey": outputs.get("DataKeyArn"), "TableKey": aliases.get(f"alias/{STACK}-tables")}
    # moto stores a CloudFormation KeyPolicy as a dict and DescribeKey then fails with a 500
    # (json.loads of a dict): only APIs that do not parse the policy are used here.
    key_ids["TableKey"] = f"{outputs['DataKeyArn'].rsplit('/', 1)[0]}/{key_ids['TableKey']}"
    table_key_arn = key_ids["TableKey"]
    check("DataKey alias targets the DataKey output",
          outputs.get("DataKeyArn", "").endswith("/" + str(aliases.get(f"alias/{STACK}-data"))))
    listed = {k["KeyArn"] for k in kms.list_keys()["Keys"]}
    for logical, out, pk in [("VaultTable", "VaultTable", "token"), ("AuditTable", "AuditTable", "id")]:
        name = outputs.get(out)
        try:
            t = ddb.describe_table(TableName=name)["Table"]
        except Exception as e:  # noqa: BLE001
            check(f"{logical} exists", False, repr(e))
            continue
        check(f"{logical} exists with key {pk}", t["KeySchema"] == [{"AttributeName": pk, "KeyType": "HASH"}])
        check(f"{logical} deletion protection follows the parameter (false)", t.get("DeletionProtectionEnabled") is False,
              str(t.get("DeletionProtectionEnabled")))
        check(f"{logical} on-demand", t.get("BillingModeSummary", {}).get("BillingMode") == "PAY_PER_REQUEST")
        sse = t.get("SSEDescription", {})
        modelled(f"{logical} SSE-KMS with TableKey", sse.get("SSEType") == "KMS" and sse.get("KMSMasterKeyArn") == table_key_arn, str(sse))
        ttl = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        modelled(f"{logical} TTL on expires_at", ttl.get("AttributeName") == "expires_at" and ttl.get("TimeToLiveStatus") == "ENABLED", str(ttl))
        pitr = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
        modelled(f"{logical} PITR", pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED", str(pitr))

    # KMS keys with rotation.
    for logical in ["DataKey", "TableKey"]:
        key_id = key_ids[logical]
        check(f"{logical} exists", key_id in listed, str(listed))
        check(f"{logical} rotation", kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"])

    # One role per function, each attached to its function; Lambda settings.
    lam = session.client("lambda")
    roles = {}
    for f in FUNCTIONS:
        fn_name = f"{STACK}-{f}"
        try:
            cfg = lam.get_function_configuration(FunctionName=fn_name)
        except Exception as e:  # noqa: BLE001
            check(f"function {f} exists", False, repr(e))
            continue
        check(f"function {f} exists", True)
        check(f"function {f} provided.al2023/bootstrap",
              cfg["Runtime"] == "provided.al2023" and cfg["Handler"] == "bootstrap", f"{cfg['Runtime']} {cfg['Handler']}")
        modelled(f"function {f} arm64", cfg.get("Architectures") == ["arm64"], str(cfg.get("Architectures")))
        env = cfg.get("Environment", {}).get("Variables", {})
        check(f"function {f} RUST_LOG", "RUST_LOG" in env, str(sorted(env)))
        roles[f] = cfg["Role"]
    check("each function has its own role", len(set(roles.values())) == len(FUNCTIONS), str(roles))

    iam = session.client("iam")
    for f, arn in roles.items():
        name = arn.rsplit("/", 1)[-1]
        pols = iam.list_role_policies(RoleName=name)["PolicyNames"]
        check(f"role of {f} has its inline policy", pols == [f], str(pols))
    mask_doc = iam.get_role_policy(RoleName=roles["mask"].rsplit("/", 1)[-1], PolicyName="mask")["PolicyDocument"] if "mask" in roles else {}
    mask_actions = str(mask_doc)
    check("mask role has no dynamodb/kms actions", "dynamodb:" not in mask_actions and "kms:" not in mask_actions)

    env = lam.get_function_configuration(FunctionName=f"{STACK}-deidentify")["Environment"]["Variables"]
    check("deidentify env names the vault table", env.get("VAULT_TABLE") == outputs.get("VaultTable"))
    env = lam.get_function_configuration(FunctionName=f"{STACK}-reidentify")["Environment"]["Variables"]
    check("reidentify env names vault and audit tables",
          env.get("VAULT_TABLE") == outputs.get("VaultTable") and env.get("AUDIT_TABLE") == outputs.get("AuditTable"))
    env = lam.get_function_configuration(FunctionName=f"{STACK}-api")["Environment"]["Variables"]
    check("api env names the vault table and the DataKey (by its alias), not the audit table",
          env.get("VAULT_TABLE") == outputs.get("VaultTable") and env.get("DATA_KEY_ID") == outputs.get("DataKeyAliasArn")
          and "AUDIT_TABLE" not in env, str(sorted(env)))

    # The keyring: a SecureString of base64 JSON holding only wrapped keys under DataKey,
    # named by every function with a vault.
    ssm = session.client("ssm")
    param = ssm.get_parameter(Name=f"/{STACK}/keyring", WithDecryption=True)["Parameter"]
    check("keyring parameter is a SecureString", param["Type"] == "SecureString", param["Type"])
    try:
        keyring = json.loads(base64.b64decode(param["Value"]))
    except ValueError as e:
        keyring = {"error": repr(e)}
    check("keyring parameter holds token key 1 and data key 1, wrapped under DataKey",
          keyring.get("kms_key_id") == outputs.get("DataKeyArn")
          and [k["version"] for k in keyring.get("token_keys", [])] == [1]
          and [k["version"] for k in keyring.get("data_keys", [])] == [1]
          and all(set(k) == {"version", "ciphertext_b64"} for k in keyring["token_keys"] + keyring["data_keys"]),
          str({k: v for k, v in keyring.items() if k not in ("token_keys", "data_keys")}))
    check("output KeyringParameter names it", outputs.get("KeyringParameter") == f"/{STACK}/keyring", str(outputs.get("KeyringParameter")))
    for f in ["deidentify", "reidentify", "api"]:
        env = lam.get_function_configuration(FunctionName=f"{STACK}-{f}")["Environment"]["Variables"]
        check(f"function {f} reads the keyring parameter (KEYRING_PARAMETER, no KEYRING_CIPHERTEXT value)",
              env.get("KEYRING_PARAMETER") == f"/{STACK}/keyring" and not env.get("KEYRING_CIPHERTEXT"), str(sorted(env)))
    # A second Create over the existing parameter (a stack re-created over a kept keyring) keeps it.
    again = moto_custom_resource.answer(STACK, session)
    kept = ssm.get_parameter(Name=f"/{STACK}/keyring", WithDecryption=True)["Parameter"]
    check("a second keyring request keeps the keyring (same value, version 1)",
          again.get("Status") == "SUCCESS" and kept["Value"] == param["Value"] and kept["Version"] == 1, str(kept["Version"]))

    # State machines.
    sfn = session.client("stepfunctions")
    for out, name in [("DocumentsStateMachineArn", "documents"), ("RecordsStateMachineArn", "records")]:
        arn = outputs.get(out, "")
        try:
            sm = sfn.describe_state_machine(stateMachineArn=arn)
            check(f"state machine {name} exists", sm["name"] == f"{STACK}-{name}", sm["name"])
        except Exception as e:  # noqa: BLE001
            check(f"state machine {name} exists", False, repr(e))

    sm_role = sfn.describe_state_machine(stateMachineArn=outputs["DocumentsStateMachineArn"])["roleArn"].rsplit("/", 1)[-1]
    doc = iam.get_role_policy(RoleName=sm_role, PolicyName="invoke-pipeline")["PolicyDocument"]
    if isinstance(doc, str):  # moto keeps a CloudFormation policy as the Python repr of a dict
        try:
            doc = json.loads(doc)
        except ValueError:
            doc = ast.literal_eval(doc)
    invoke = [st for st in doc["Statement"] if st["Action"] in ("lambda:InvokeFunction", ["lambda:InvokeFunction"])]
    fn_arns = sorted(lam.get_function_configuration(FunctionName=f"{STACK}-{f}")["FunctionArn"] for f in ["detect", "mask", "deidentify"])
    check("state machine role invokes exactly detect, mask, deidentify",
          len(invoke) == 1 and sorted(invoke[0]["Resource"]) == fn_arns, str(invoke))

    # Bucket, queue, rule, log groups.
    bucket = outputs.get("DocumentBucket")
    try:
        pab = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    except s3.exceptions.ClientError:
        pab = {}
    modelled("document bucket public access block", all(pab.values()) and len(pab) == 4, str(pab))
    try:
        bucket_policy = s3.get_bucket_policy(Bucket=bucket)["Policy"]
    except s3.exceptions.ClientError:
        bucket_policy = ""  # moto's CloudFormation has no AWS::S3::BucketPolicy
    modelled("document bucket TLS-only policy", '"aws:SecureTransport"' in bucket_policy)
    enc = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    check("document bucket default encryption", enc["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("AES256", "aws:kms"))
    events = session.client("events")
    rules = events.list_rules(NamePrefix=f"{STACK}-UploadRule")["Rules"]
    check("upload rule exists", len(rules) == 1, str(rules))
    rule = events.describe_rule(Name=rules[0]["Name"])
    check("upload rule enabled", rule["State"] == "ENABLED")
    check("upload rule matches Object Created under DocumentPrefix",
          '"Object Created"' in rule["EventPattern"] and '{"prefix": "incoming/"}' in rule["EventPattern"].replace('{"prefix":"', '{"prefix": "'),
          rule["EventPattern"])
    targets = events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
    sqs = session.client("sqs")
    ingest_arn = sqs.get_queue_attributes(QueueUrl=outputs["IngestQueueUrl"], AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    check("upload rule targets the ingest queue with a DLQ",
          len(targets) == 1 and targets[0]["Arn"] == ingest_arn and "DeadLetterConfig" in targets[0], str(targets))
    attrs = sqs.get_queue_attributes(QueueUrl=outputs["IngestQueueUrl"], AttributeNames=["All"])["Attributes"]
    redrive = json.loads(attrs.get("RedrivePolicy", "{}"))
    dlq_arn = sqs.get_queue_attributes(QueueUrl=outputs["IngestDeadLetterQueueUrl"], AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    check("ingest queue redrives to its dead-letter queue after 5 receives",
          redrive.get("deadLetterTargetArn") == dlq_arn and int(redrive.get("maxReceiveCount", 0)) == 5, str(redrive))
    for out in ("UploadDeadLetterQueueUrl", "FailedDocumentsQueueUrl"):
        check(f"{out} exists", "QueueArn" in sqs.get_queue_attributes(QueueUrl=outputs[out], AttributeNames=["All"])["Attributes"])
    mappings = lam.list_event_source_mappings(FunctionName=f"{STACK}-ingest")["EventSourceMappings"]
    check("the ingest queue feeds the ingest function in batches of 10",
          len(mappings) == 1 and mappings[0]["EventSourceArn"] == ingest_arn and mappings[0].get("BatchSize") == 10, str(mappings))

    # The upload path end to end: an upload under DocumentPrefix -> EventBridge (the stack's
    # rule) -> the ingest queue -> the real ingest function -> one documents run, found again
    # (not started twice) when the same message comes back.
    # moto's CloudFormation drops the bucket's EventBridgeConfiguration: set it as the template does.
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={"EventBridgeConfiguration": {}})
    s3.put_object(Bucket=bucket, Key="incoming/letter.txt", Body=b"call 555-0100")
    s3.put_object(Bucket=bucket, Key="elsewhere/skip.txt", Body=b"x")
    got = sqs.receive_message(QueueUrl=outputs["IngestQueueUrl"], MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    keys = [json.loads(m["Body"]).get("detail", {}).get("object", {}).get("key") for m in got]
    check("an upload under DocumentPrefix reaches the ingest queue (and only that one)", keys == ["incoming/letter.txt"], str(keys))
    ingest_env = lam.get_function_configuration(FunctionName=f"{STACK}-ingest")["Environment"]["Variables"]
    sqs_event = {"Records": [{"messageId": m["MessageId"], "body": m["Body"]} for m in got]
                 + [{"messageId": "not-an-upload", "body": json.dumps({"source": "aws.s3", "detail-type": "Object Deleted"})}]}
    answer = lambda_binary.invoke("piiflow-ingest", sqs_event, env=ingest_env)
    check("ingest function: the bad message alone comes back as a batch item failure",
          answer == {"batchItemFailures": [{"itemIdentifier": "not-an-upload"}]}, str(answer))
    docs_arn = outputs["DocumentsStateMachineArn"]
    runs = sfn.list_executions(stateMachineArn=docs_arn)["executions"]
    check("ingest function: one documents run, named doc-<hash>", len(runs) == 1 and runs[0]["name"].startswith("doc-"), str(runs))
    if runs:
        run_input = json.loads(sfn.describe_execution(executionArn=runs[0]["executionArn"])["input"])
        check("the run reads the upload with the stack's policy",
              run_input == {"document": {"ref": f"s3://{bucket}/incoming/letter.txt"}, "policy": "default"}, str(run_input))
    again = lambda_binary.invoke("piiflow-ingest", {"Records": sqs_event["Records"][:1]}, env=ingest_env)
    check("the same message again finds the run instead of starting a second",
          again == {"batchItemFailures": []} and len(sfn.list_executions(stateMachineArn=docs_arn)["executions"]) == 1, str(again))

    # Dead letters and their replay (infra/replay, the documented command).
    if shutil.which("aws") and shutil.which("jq"):
        replay = lambda *args: subprocess.run([str(ROOT / "infra" / "replay"), "--stack", STACK, *args],  # noqa: E731
                                              capture_output=True, text=True, timeout=120)
        sqs.purge_queue(QueueUrl=outputs["IngestQueueUrl"])
        sqs.send_message(QueueUrl=outputs["IngestDeadLetterQueueUrl"], MessageBody=got[0]["Body"] if got else "{}")
        r = replay("--ingest")
        back = sqs.receive_message(QueueUrl=outputs["IngestQueueUrl"], MaxNumberOfMessages=10).get("Messages", [])
        left = sqs.receive_message(QueueUrl=outputs["IngestDeadLetterQueueUrl"], MaxNumberOfMessages=10).get("Messages", [])
        check("infra/replay --ingest moves a dead letter back to the ingest queue, unchanged",
              r.returncode == 0 and [m["Body"] for m in back] == [got[0]["Body"] if got else "{}"] and not left, r.stdout + r.stderr)
        # A documents run that failed, as Step Functions reports it to EventBridge (moto's Step
        # Functions sends no such events): the stack's rule puts it on the failed-documents queue.
        failed_input = json.dumps({"document": {"ref": f"s3://{bucket}/incoming/letter.txt"}, "policy": "default"})
        detail = {"executionArn": f"{docs_arn.replace(':stateMachine:', ':execution:')}:doc-failed", "stateMachineArn": docs_arn,
                  "name": "doc-failed", "status": "FAILED", "input": failed_input, "error": "Pii.Unavailable", "cause": "vault unavailable"}
        put = events.put_events(Entries=[{"Source": "aws.states", "DetailType": "Step Functions Execution Status Change",
                                          "Detail": json.dumps(detail)},
                                         {"Source": "aws.states", "DetailType": "Step Functions Execution Status Change",
                                          "Detail": json.dumps({**detail, "status": "SUCCEEDED"})}])
        check("status-change events accepted", put.get("FailedEntryCount") == 0, str(put))
        dead = sqs.receive_message(QueueUrl=outputs["FailedDocumentsQueueUrl"], MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", [])
        statuses = [json.loads(m["Body"]).get("detail", {}).get("status") for m in dead]
        check("a FAILED document run (and not a SUCCEEDED one) goes on the failed-documents queue with input, error and cause",
              statuses == ["FAILED"] and all(json.loads(dead[0]["Body"])["detail"].get(k) for k in ("input", "error", "cause", "executionArn")),
              str(statuses))
        dry = replay("--failed", "--dry-run")
        check("infra/replay --failed --dry-run names the run it would start and starts none",
              dry.returncode == 0 and "doc-failed-r" in dry.stdout and len(sfn.list_executions(stateMachineArn=docs_arn)["executions"]) == 1,
              dry.stdout + dry.stderr)
        r = replay("--failed")
        runs = sfn.list_executions(stateMachineArn=docs_arn)["executions"]
        replayed = [e for e in runs if e["name"].startswith("doc-failed-r")]
        left = sqs.receive_message(QueueUrl=outputs["FailedDocumentsQueueUrl"], MaxNumberOfMessages=10).get("Messages", [])
        check("infra/replay --failed starts the run again with its input and deletes the message",
              r.returncode == 0 and len(replayed) == 1 and not left
              and sfn.describe_execution(executionArn=replayed[0]["executionArn"])["input"] == failed_input, r.stdout + r.stderr)
    else:
        skipped_reason = "no aws CLI or jq"
        print(f"  skip infra/replay checks ({skipped_reason})")

    logs = session.client("logs")
    groups = {g["logGroupName"]: g for g in logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/" + STACK)["logGroups"]}
    check("a log group with retention per function",
          all(groups.get(f"/aws/lambda/{STACK}-{f}", {}).get("retentionInDays") == 30 for f in FUNCTIONS), str(sorted(groups)))

    cfn.delete_stack(StackName=STACK)
    ssm.delete_parameter(Name=f"/{STACK}/keyring")
    private_api(session, params)


def private_api(session, params):
    """The same template with ApiAccess=private: a REST API with a PRIVATE endpoint for the
    given VPC endpoint, the Cognito authorizer (moto keeps it without a user pool) and the
    same routes, in front of the same function; no HTTP API."""
    cfn = session.client("cloudformation")
    stack = f"{STACK}-private"
    vpce = "vpce-0123456789abcdef0"
    cfn.create_stack(
        StackName=stack,
        TemplateURL=f"{os.environ['AWS_ENDPOINT_URL'].replace('127.0.0.1', 'localhost')}/{ARTIFACTS}/{PREFIX}/template.yaml",
        Parameters=[{"ParameterKey": k, "ParameterValue": v}
                    for k, v in {**params, "ApiAccess": "private", "ApiVpcEndpointId": vpce}.items()],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
    )
    answer = moto_custom_resource.answer(stack, session)
    s = moto_custom_resource.wait_for_stack(cfn, stack, {"CREATE_COMPLETE", "CREATE_FAILED", "ROLLBACK_COMPLETE"})
    check("private stack CREATE_COMPLETE", s is not None and s["StackStatus"] == "CREATE_COMPLETE" and answer.get("Status") == "SUCCESS",
          str(s and s.get("StackStatus")))
    apigw = session.client("apigateway")
    apis = [a for a in apigw.get_rest_apis()["items"] if a["name"] == f"{stack}-api"]
    check("private stack: one REST API", len(apis) == 1, str(apis))
    modelled("private stack: a PRIVATE endpoint for the VPC endpoint",
          len(apis) == 1 and apis[0].get("endpointConfiguration", {}).get("types") == ["PRIVATE"]
          and apis[0].get("endpointConfiguration", {}).get("vpcEndpointIds") == [vpce], str(apis))
    if apis:
        policy = apis[0].get("policy", "")
        modelled("private stack: a resource policy naming the VPC endpoint", vpce in policy and "aws:SourceVpce" in policy, policy[:200])
        resources = apigw.get_resources(restApiId=apis[0]["id"], limit=500)["items"]
        methods = sorted(f"{m} {r['path']}" for r in resources for m in r.get("resourceMethods", {}))
        modelled("private stack: every route a method", len(methods) == 13, str(methods))
    v2 = session.client("apigatewayv2").get_apis().get("Items", [])
    check("private stack: no HTTP API", not [a for a in v2 if a.get("Name") == f"{stack}-api"], str(v2))
    cfn.delete_stack(StackName=stack)
    session.client("ssm").delete_parameter(Name=f"/{stack}/keyring")


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001
        failed += 1
        print(f"  FAIL smoke test raised {e!r}")
    print(f"smoke: {passed} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed else 0)
