"""Structural checks of infra/template.yaml (no AWS, no Rust): routes and scopes, least
privilege of every role, encryption and protection settings.

Run with the tools venv's python (it needs cfn-lint's YAML loader, which understands !Ref,
!GetAtt, !Sub, ...): `$(scripts/python-tools)/python infra/tests/test_template.py`.
Prints "ok"/"FAIL" lines and "template: N passed, M failed"; exits 1 on any failure.
"""

import json
import os
import re
import sys
from pathlib import Path

from cfnlint.decode import cfn_yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = Path(os.environ.get("PIIFLOW_TEMPLATE", ROOT / "infra" / "template.yaml"))

# ARCHITECTURE.md "The HTTP API and who may do what" (+ GET /v1/audit, the auditor's read of the audit trail).
# None = public route.
ROUTES = {
    "POST /v1/anonymize": ["pii/anonymize"],
    "POST /v1/anonymize/batch": ["pii/anonymize"],
    "POST /v1/documents": ["pii/anonymize"],
    "GET /v1/documents/{id}": ["pii/anonymize"],
    "POST /v1/documents/uploads": ["pii/anonymize"],
    "POST /v1/jobs": ["pii/anonymize"],
    "GET /v1/jobs/{id}": ["pii/anonymize"],
    "POST /v1/reidentify": ["pii/reidentify"],
    "DELETE /v1/tokens/{token}": ["pii/reidentify"],
    "GET /v1/audit": ["pii/reidentify"],
    "GET /openapi.json": None,
    "GET /docs": None,
}
# Routes the table does not list but the deployment needs: Swagger UI's assets under /docs/.
EXTRA_PUBLIC_ROUTES = {"GET /docs/{proxy+}"}

FUNCTIONS = {
    "detect": "DetectFunction",
    "mask": "MaskFunction",
    "deidentify": "DeidentifyFunction",
    "reidentify": "ReidentifyFunction",
    "api": "ApiFunction",
    "pretoken": "PretokenFunction",
    "keyring-resource": "KeyringResourceFunction",
    "ingest": "IngestFunction",
}
# The SSM SecureString parameter holding the wrapped keyring (the Keyring custom resource's).
KEYRING_PARAMETER = {"Fn::Sub": "/${AWS::StackName}/keyring"}
KEYRING_PARAMETER_ARN = {"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${AWS::StackName}/keyring"}


def log_group_of(function_lid):
    return function_lid.replace("Function", "LogGroup")


# Exactly the Allow actions each function's role may hold (logs actions on its own group aside).
EXPECTED_ACTIONS = {
    "detect": {"comprehend:DetectPiiEntities", "s3:GetObject", "s3:PutObject"},
    "mask": {"s3:GetObject", "s3:PutObject"},
    "deidentify": {"dynamodb:PutItem", "dynamodb:GetItem", "s3:GetObject", "s3:PutObject",
                   "s3:DeleteObject", "s3:AbortMultipartUpload", "ssm:GetParameter"},
    "reidentify": {"dynamodb:GetItem", "dynamodb:BatchGetItem",
                   "dynamodb:PutItem", "dynamodb:Query", "ssm:GetParameter"},
    "api": {"dynamodb:PutItem", "states:StartExecution", "states:DescribeExecution",
            "states:StartSyncExecution", "lambda:InvokeFunction", "states:ListMapRuns",
            "states:DescribeMapRun", "ssm:GetParameter", "comprehend:DetectPiiEntities",
            "s3:PutObject", "s3:GetObject"},
    "pretoken": set(),
    "keyring-resource": {"kms:GenerateDataKeyWithoutPlaintext", "ssm:GetParameter", "ssm:PutParameter"},
    "ingest": {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility",
               "states:StartExecution", "states:DescribeExecution"},
}
LOG_ACTIONS = {"logs:CreateLogStream", "logs:PutLogEvents"}

# The encryption-context purposes of the keyring's keys (deidentify/src/aws/kms_keyring.rs):
# every wrapped key is a KMS data key bound to {"purpose": one of these, "version": "<N>"}.
KEYRING_PURPOSES = ["piiflow-data", "piiflow-token"]
# Reading a vault item back (or erasing one): the api function must hold none of these.
VAULT_READ_OR_ERASE = {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
                       "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:UpdateItem",
                       "dynamodb:PartiQLSelect", "dynamodb:PartiQLDelete", "dynamodb:PartiQLUpdate"}

# Resource "*" is allowed only where the service has no resource-level permissions:
#  - comprehend:DetectPiiEntities (Comprehend's real-time detection APIs act on no resource);
#  - CloudWatch Logs delivery for Step Functions logging (AWS documents these with "*").
STAR_RESOURCE_OK = {
    "comprehend:DetectPiiEntities",
    "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
}

REQUIRED_OUTPUTS = ["ApiUrl", "UserPoolId", "PipelineClientId", "AuditorClientId", "TokenUrl",
                    "DocumentBucket", "VaultTable", "AuditTable", "DocumentsStateMachineArn",
                    "RecordsStateMachineArn"]
REQUIRED_PARAMETERS = ["Architecture", "ArtifactBucket", "ArtifactPrefix", "DeletionProtection",
                       "LogRetentionDays", "DocumentPrefix", "CognitoDomainPrefix"]

passed = 0
failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"  ok   {name}")
    else:
        failed += 1
        print(f"  FAIL {name} {detail}")


def plain(x):
    """cfn-lint's node classes -> plain dicts/lists/strs (for comparisons and printing)."""
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [plain(v) for v in x]
    if isinstance(x, str):
        return str(x)
    return x


def as_list(x):
    return x if isinstance(x, list) else [x]


def ref_name(x):
    """Logical id named by {"Ref": X} or {"Fn::GetAtt": [X, ...]}."""
    if isinstance(x, dict):
        if "Ref" in x:
            return x["Ref"]
        if "Fn::GetAtt" in x:
            ga = x["Fn::GetAtt"]
            return ga[0] if isinstance(ga, list) else ga.split(".")[0]
    return None


def design_routes():
    """Routes and scopes from ARCHITECTURE.md's table (cross-check)."""
    found = {}
    prev_method = None
    for line in (ROOT / "ARCHITECTURE.md").read_text().splitlines():
        m = re.match(r"^\|\s*(.+?)\s*\|\s*(pii/\w+|none)\s*\|", line)
        if not m:
            continue
        scope = None if m.group(2) == "none" else [m.group(2)]
        for route in re.findall(r"`([^`]+)`", m.group(1)):
            if " " not in route:  # "`GET /openapi.json`, `/docs`": method carried over
                route = f"{prev_method} {route}"
            prev_method = route.split(" ", 1)[0]
            found[route] = scope
    return found


def main():
    t = plain(cfn_yaml.load(str(TEMPLATE)))
    res = t["Resources"]
    by_type = {}
    for lid, r in res.items():
        by_type.setdefault(r["Type"], {})[lid] = r
    P = lambda lid: res[lid].get("Properties", {})  # noqa: E731

    # ---------------------------------------------------------------- parameters and outputs
    for p in REQUIRED_PARAMETERS:
        check(f"parameter {p}", p in t.get("Parameters", {}))
    check("Architecture is arm64|x86_64", sorted(t["Parameters"]["Architecture"]["AllowedValues"]) == ["arm64", "x86_64"])
    check("DeletionProtection is true|false", sorted(t["Parameters"]["DeletionProtection"]["AllowedValues"]) == ["false", "true"])
    for o in REQUIRED_OUTPUTS:
        check(f"output {o}", o in t.get("Outputs", {}))

    # ---------------------------------------------------------------- routes
    routes = {P(lid)["RouteKey"]: (lid, P(lid)) for lid in by_type.get("AWS::ApiGatewayV2::Route", {})}
    design = design_routes()
    missing = {k: v for k, v in design.items() if ROUTES.get(k, "absent") != v}
    check("route table here agrees with ARCHITECTURE.md's", design and not missing, str(missing))
    check("exactly the designed routes (+ /docs assets)",
          set(routes) == set(ROUTES) | EXTRA_PUBLIC_ROUTES, str(sorted(set(routes) ^ (set(ROUTES) | EXTRA_PUBLIC_ROUTES))))
    for key, scopes in list(ROUTES.items()) + [(k, None) for k in EXTRA_PUBLIC_ROUTES]:
        if key not in routes:
            continue
        lid, rp = routes[key]
        if scopes is None:
            check(f"route {key}: public", rp.get("AuthorizationType") == "NONE" and not rp.get("AuthorizationScopes"), str(rp))
        else:
            check(f"route {key}: JWT with scopes {scopes}",
                  rp.get("AuthorizationType") == "JWT" and ref_name(rp.get("AuthorizerId")) == "JwtAuthorizer"
                  and rp.get("AuthorizationScopes") == scopes, str(rp))
        check(f"route {key}: targets the api integration", rp.get("Target") == {"Fn::Sub": "integrations/${ApiIntegration}"}, str(rp.get("Target")))

    integ = P("ApiIntegration")
    check("integration: Lambda proxy, payload 2.0, api function",
          integ.get("IntegrationType") == "AWS_PROXY" and integ.get("PayloadFormatVersion") == "2.0"
          and ref_name(integ.get("IntegrationUri")) == "ApiFunction", str(integ))
    perms = [P(lid) for lid in by_type.get("AWS::Lambda::Permission", {})]
    check("API Gateway may invoke the api function (scoped to this API)",
          any(ref_name(p.get("FunctionName")) == "ApiFunction" and p.get("Principal") == "apigateway.amazonaws.com"
              and "${HttpApi}" in str(p.get("SourceArn")) for p in perms), str(perms))
    check("no other Lambda permission than API Gateway -> api (HTTP API or private REST API), Cognito -> pretoken, api role -> reidentify",
          sorted(ref_name(p.get("FunctionName")) for p in perms) == ["ApiFunction", "ApiFunction", "PretokenFunction", "ReidentifyFunction"],
          str(perms))

    # ---------------------------------------------------------------- public or private API
    access = t["Parameters"].get("ApiAccess", {})
    check("ApiAccess: public (default) or private", access.get("Default") == "public" and sorted(access.get("AllowedValues", [])) == ["private", "public"])
    check("conditions: PrivateApi when ApiAccess=private, PublicApi otherwise",
          t["Conditions"].get("PrivateApi") == {"Fn::Equals": [{"Ref": "ApiAccess"}, "private"]}
          and t["Conditions"].get("PublicApi") == {"Fn::Not": [{"Condition": "PrivateApi"}]})
    assertion = t.get("Rules", {}).get("PrivateApiNeedsAnEndpoint", {})
    check("a private API cannot be deployed without a VPC endpoint", "ApiVpcEndpointId" in str(assertion.get("Assertions")), str(assertion))
    for lid, r in res.items():
        if r["Type"].startswith("AWS::ApiGatewayV2::") or lid == "HttpApi5xxAlarm":
            check(f"{lid}: only with ApiAccess=public", r.get("Condition") == "PublicApi")
        if r["Type"].startswith("AWS::ApiGateway::") or lid in ("RestApiInvokePermission", "RestApi5xxAlarm"):
            check(f"{lid}: only with ApiAccess=private", r.get("Condition") == "PrivateApi")
    rest = P("RestApi")
    check("private API: a REST API with a PRIVATE endpoint admitting the given VPC endpoint",
          rest.get("EndpointConfiguration") == {"Types": ["PRIVATE"], "VpcEndpointIds": [{"Ref": "ApiVpcEndpointId"}]}, str(rest.get("EndpointConfiguration")))
    rp_sts = rest.get("Policy", {}).get("Statement", [])
    check("private API: its resource policy allows invoking only through that VPC endpoint and denies the rest",
          sorted((st["Effect"], st["Action"], str(st["Condition"])) for st in rp_sts) == sorted([
              ("Allow", "execute-api:Invoke", str({"StringEquals": {"aws:SourceVpce": {"Ref": "ApiVpcEndpointId"}}})),
              ("Deny", "execute-api:Invoke", str({"StringNotEquals": {"aws:SourceVpce": {"Ref": "ApiVpcEndpointId"}}}))]), str(rp_sts))
    ca = P("RestCognitoAuthorizer")
    check("private API: a Cognito user pool authorizer on the Authorization header",
          ca.get("Type") == "COGNITO_USER_POOLS" and ca.get("ProviderARNs") == [{"Fn::GetAtt": ["UserPool", "Arn"]}]
          and ca.get("IdentitySource") == "method.request.header.Authorization", str(ca))
    paths = {}
    for lid in by_type.get("AWS::ApiGateway::Resource", {}):
        chain, cur = [], lid
        while cur:
            chain.insert(0, P(cur)["PathPart"])
            parent = P(cur)["ParentId"]
            cur = parent.get("Ref") if isinstance(parent, dict) and "Ref" in parent else None
        paths[lid] = "/" + "/".join(chain)
    methods = {f'{P(lid)["HttpMethod"]} {paths.get(ref_name(P(lid)["ResourceId"]))}': P(lid)
               for lid in by_type.get("AWS::ApiGateway::Method", {})}
    check("private API: exactly the HTTP API's routes",
          set(methods) == set(ROUTES) | EXTRA_PUBLIC_ROUTES, str(sorted(set(methods) ^ (set(ROUTES) | EXTRA_PUBLIC_ROUTES))))
    for key, scopes in list(ROUTES.items()) + [(k, None) for k in EXTRA_PUBLIC_ROUTES]:
        m = methods.get(key, {})
        if scopes is None:
            check(f"private {key}: public", m.get("AuthorizationType") == "NONE" and not m.get("AuthorizationScopes"), str(m))
        else:
            check(f"private {key}: Cognito authorizer with scopes {scopes}",
                  m.get("AuthorizationType") == "COGNITO_USER_POOLS" and ref_name(m.get("AuthorizerId")) == "RestCognitoAuthorizer"
                  and m.get("AuthorizationScopes") == scopes, str(m))
        integ = m.get("Integration", {})
        check(f"private {key}: Lambda proxy to the same api function",
              integ.get("Type") == "AWS_PROXY" and integ.get("IntegrationHttpMethod") == "POST"
              and "${ApiFunction.Arn}" in str(integ.get("Uri")), str(integ))
    check("private API: the deployment waits for every method",
          sorted(as_list(res["RestDeployment"].get("DependsOn", []))) == sorted(by_type.get("AWS::ApiGateway::Method", {})))
    rperm = P("RestApiInvokePermission")
    check("private API: API Gateway may invoke the api function, scoped to this REST API",
          rperm.get("Principal") == "apigateway.amazonaws.com" and "${RestApi}/" in str(rperm.get("SourceArn")), str(rperm))
    check("api env: the REST stage is not part of the path (lambda_http)",
          P("ApiFunction")["Environment"]["Variables"].get("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH") == "true")

    auth = P("JwtAuthorizer")
    jc = auth.get("JwtConfiguration", {})
    check("authorizer: JWT from the Authorization header",
          auth.get("AuthorizerType") == "JWT" and auth.get("IdentitySource") == ["$request.header.Authorization"])
    check("authorizer: issuer is the user pool",
          jc.get("Issuer") == {"Fn::Sub": "https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}"}, str(jc.get("Issuer")))
    check("authorizer: audience is the app clients",
          sorted(ref_name(a) for a in jc.get("Audience", [])) == ["AuditorClient", "AuditorWebClient", "PipelineClient"], str(jc))

    # ---------------------------------------------------------------- Cognito
    rs = P("PiiResourceServer")
    check("resource server pii with scopes anonymize, reidentify",
          rs.get("Identifier") == "pii" and sorted(s["ScopeName"] for s in rs.get("Scopes", [])) == ["anonymize", "reidentify"])
    clients = {lid: P(lid) for lid in by_type.get("AWS::Cognito::UserPoolClient", {})}
    pc = clients.get("PipelineClient", {})
    check("pipeline client: client_credentials, secret, only pii/anonymize",
          pc.get("AllowedOAuthFlows") == ["client_credentials"] and pc.get("GenerateSecret") is True
          and pc.get("AllowedOAuthScopes") == ["pii/anonymize"], str(pc))
    ac = clients.get("AuditorClient", {})
    check("auditor client: client_credentials, secret, only pii/reidentify",
          ac.get("AllowedOAuthFlows") == ["client_credentials"] and ac.get("GenerateSecret") is True
          and ac.get("AllowedOAuthScopes") == ["pii/reidentify"], str(ac))
    wc = clients.get("AuditorWebClient", {})
    check("auditor web client: authorization code (PKCE), public, pii/reidentify",
          wc.get("AllowedOAuthFlows") == ["code"] and wc.get("GenerateSecret") is False
          and "pii/reidentify" in wc.get("AllowedOAuthScopes", []) and "pii/anonymize" not in wc.get("AllowedOAuthScopes", [])
          and wc.get("CallbackURLs"), str(wc))
    for lid, c in clients.items():
        check(f"{lid}: depends on the resource server (scopes exist first)", "PiiResourceServer" in as_list(res[lid].get("DependsOn", [])))
        check(f"{lid}: no implicit flow", "implicit" not in c.get("AllowedOAuthFlows", []))
    check("user pool: only admins create users", P("UserPool").get("AdminCreateUserConfig", {}).get("AllowAdminCreateUserOnly") is True)
    check("user pool domain uses CognitoDomainPrefix", P("UserPoolDomain").get("Domain") == {"Ref": "CognitoDomainPrefix"})

    # ---------------------------------------------------------------- functions and roles
    role_of = {}
    for name, lid in FUNCTIONS.items():
        fp = P(lid)
        check(f"function {name}: provided.al2023 / bootstrap / Architecture parameter",
              fp.get("Runtime") == "provided.al2023" and fp.get("Handler") == "bootstrap"
              and fp.get("Architectures") == [{"Ref": "Architecture"}], str({k: fp.get(k) for k in ("Runtime", "Handler", "Architectures")}))
        check(f"function {name}: code from the artifact bucket",
              fp.get("Code", {}).get("S3Bucket") == {"Ref": "ArtifactBucket"}
              and fp.get("Code", {}).get("S3Key") == {"Fn::Sub": f"${{ArtifactPrefix}}/{name}.zip"}, str(fp.get("Code")))
        check(f"function {name}: named {{stack}}-{name}", fp.get("FunctionName") == {"Fn::Sub": f"${{AWS::StackName}}-{name}"})
        env = fp.get("Environment", {}).get("Variables", {})
        check(f"function {name}: RUST_LOG", "RUST_LOG" in env)
        role_of[name] = ref_name(fp.get("Role"))
        lg = log_group_of(lid)
        check(f"function {name}: own log group with retention",
              lg in res and P(lg).get("LogGroupName") == {"Fn::Sub": f"/aws/lambda/${{AWS::StackName}}-{name}"}
              and P(lg).get("RetentionInDays") == {"Ref": "LogRetentionDays"} and lg in as_list(res[lid].get("DependsOn", [])))
    env = lambda lid: P(lid).get("Environment", {}).get("Variables", {})  # noqa: E731
    check("detect env: DETECTOR_MODE, POLICY", {"DETECTOR_MODE", "POLICY"} <= set(env("DetectFunction")))
    check("mask env: POLICY", "POLICY" in env("MaskFunction"))
    check("deidentify env: VAULT_TABLE, DATA_KEY_ID, POLICY", {"VAULT_TABLE", "DATA_KEY_ID", "POLICY"} <= set(env("DeidentifyFunction")))
    check("reidentify env: VAULT_TABLE, AUDIT_TABLE, DATA_KEY_ID", {"VAULT_TABLE", "AUDIT_TABLE", "DATA_KEY_ID"} <= set(env("ReidentifyFunction")))
    check("api env: both state machines, reidentify", {"DOCUMENTS_STATE_MACHINE_ARN", "RECORDS_STATE_MACHINE_ARN", "REIDENTIFY_FUNCTION"} <= set(env("ApiFunction")))
    check("api env: no AUDIT_TABLE (audit reads go through reidentify)", "AUDIT_TABLE" not in env("ApiFunction"))
    for lid in ("DetectFunction", "ApiFunction"):
        check(f"{lid} env: DETECTOR_MODE from the parameter", env(lid).get("DETECTOR_MODE") == {"Ref": "DetectorMode"})
    budget = env("ApiFunction").get("DETECT_BUDGET_SECONDS")
    check("api env: a Comprehend budget under its timeout (API Gateway's 29 s)",
          budget is not None and 0 < float(budget) < P("ApiFunction")["Timeout"], str(budget))
    for lid in ("DeidentifyFunction", "ReidentifyFunction", "ApiFunction"):
        e = env(lid)
        check(f"{lid} env: the vault and the keyring (VAULT_TABLE, DATA_KEY_ID = DataKeyAlias ARN, KEYRING_CIPHERTEXT override, KEYRING_PARAMETER)",
              ref_name(e.get("VAULT_TABLE")) == "VaultTable"
              and e.get("DATA_KEY_ID") == {"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/${AWS::StackName}-data"}
              and P("DataKeyAlias").get("AliasName") == {"Fn::Sub": "alias/${AWS::StackName}-data"}
              and e.get("KEYRING_CIPHERTEXT") == {"Ref": "KeyringCiphertext"}
              and e.get("KEYRING_PARAMETER") == KEYRING_PARAMETER, str(e))
    for lid in ("DetectFunction", "MaskFunction"):
        check(f"{lid} env: no vault, no keyring", not {"VAULT_TABLE", "KEYRING_CIPHERTEXT", "DATA_KEY_ID"} & set(env(lid)))
    check("only the eight functions", set(by_type.get("AWS::Lambda::Function", {})) == set(FUNCTIONS.values()))
    for lid in ("DetectFunction", "MaskFunction", "PretokenFunction", "KeyringResourceFunction", "IngestFunction"):
        check(f"{lid} env: no keyring parameter", "KEYRING_PARAMETER" not in env(lid))
    check("each function has its own role", len(set(role_of.values())) == len(FUNCTIONS) and None not in role_of.values(), str(role_of))
    users = {}
    for lid, r in res.items():
        if r["Type"] in ("AWS::Lambda::Function", "AWS::StepFunctions::StateMachine"):
            users.setdefault(ref_name(r["Properties"].get("Role") or r["Properties"].get("RoleArn")), []).append(lid)
    for name, role in role_of.items():
        check(f"role of {name} serves only {name}", users.get(role) == [FUNCTIONS[name]], str(users.get(role)))

    def statements(role_lid):
        out = []
        for pol in P(role_lid).get("Policies", []):
            out += as_list(pol["PolicyDocument"]["Statement"])
        return out

    # Every role in the template: no wildcard actions, Resource "*" only where AWS requires it,
    # no managed policies (everything inline and reviewable here).
    for role_lid in by_type.get("AWS::IAM::Role", {}):
        rp = P(role_lid)
        check(f"{role_lid}: no managed policies", not rp.get("ManagedPolicyArns"), str(rp.get("ManagedPolicyArns")))
        for st in statements(role_lid):
            actions = as_list(st.get("Action", []))
            check(f"{role_lid}/{st.get('Sid')}: no NotAction/NotResource", "NotAction" not in st and "NotResource" not in st)
            check(f"{role_lid}/{st.get('Sid')}: no wildcard actions", not any("*" in a for a in actions), str(actions))
            if st.get("Effect") == "Allow" and "*" in as_list(st.get("Resource", [])):
                check(f"{role_lid}/{st.get('Sid')}: Resource * only for actions without resource-level permissions",
                      set(actions) <= STAR_RESOURCE_OK, str(actions))

    for name, role_lid in role_of.items():
        sts = statements(role_lid)
        allowed = set()
        for st in sts:
            if st.get("Effect") == "Allow":
                allowed |= set(as_list(st["Action"]))
        check(f"role of {name}: exactly its own actions", allowed - LOG_ACTIONS == EXPECTED_ACTIONS[name],
              f"extra={sorted(allowed - LOG_ACTIONS - EXPECTED_ACTIONS[name])} missing={sorted(EXPECTED_ACTIONS[name] - allowed)}")
        log_sts = [st for st in sts if set(as_list(st["Action"])) & LOG_ACTIONS]
        check(f"role of {name}: logs only to its own log group",
              log_sts and all(ref_name(st["Resource"]) == log_group_of(FUNCTIONS[name]) for st in log_sts), str(log_sts))
        trust = P(role_lid)["AssumeRolePolicyDocument"]["Statement"]
        check(f"role of {name}: assumed by Lambda only", [s["Principal"] for s in trust] == [{"Service": "lambda.amazonaws.com"}])
        for st in sts:
            acts = as_list(st["Action"])
            if "kms:Decrypt" in acts:
                check(f"role of {name}: kms:Decrypt only on DataKey with an encryption-context condition",
                      ref_name(st["Resource"]) == "DataKey"
                      and any(k.startswith("kms:EncryptionContext:") for c in st.get("Condition", {}).values() for k in c), str(st))
                purposes = st.get("Condition", {}).get("StringEquals", {}).get("kms:EncryptionContext:purpose")
                check(f"role of {name}: kms:Decrypt for exactly the purposes piiflow-token and piiflow-data",
                      st.get("Effect") == "Allow" and sorted(as_list(purposes or [])) == KEYRING_PURPOSES
                      and set(st.get("Condition", {})) == {"StringEquals"}, str(st.get("Condition")))
            if any(a.startswith("kms:") for a in acts) and st.get("Effect") == "Allow" and name != "keyring-resource":
                check(f"role of {name}: no KMS action but Decrypt (GenerateDataKey is the admin's and the keyring resource's)",
                      set(a for a in acts if a.startswith("kms:")) == {"kms:Decrypt"}, str(acts))
            if any(a.startswith("ssm:") for a in acts):
                check(f"role of {name}: {st.get('Sid')} on the keyring parameter only",
                      as_list(st["Resource"]) == [KEYRING_PARAMETER_ARN], str(st["Resource"]))
            if any(a.startswith("dynamodb:") for a in acts) and st.get("Effect") == "Allow":
                check(f"role of {name}: {st.get('Sid')} on the stack's tables (or the audit table's indexes) only",
                      all(ref_name(r) in ("VaultTable", "AuditTable") or r == {"Fn::Sub": "${AuditTable.Arn}/index/*"}
                          for r in as_list(st["Resource"])), str(st["Resource"]))
            if any(a.startswith("s3:") for a in acts):
                check(f"role of {name}: {st.get('Sid')} on document bucket prefixes only",
                      all("${DocumentBucket.Arn}/" in str(r) for r in as_list(st["Resource"])), str(st["Resource"]))

    mask_actions = {a for st in statements(role_of["mask"]) for a in as_list(st["Action"])}
    check("mask role has no dynamodb or kms actions", not any(a.startswith(("dynamodb:", "kms:")) for a in mask_actions), str(mask_actions))
    check("detect role has no dynamodb or kms actions",
          not any(a.startswith(("dynamodb:", "kms:")) for st in statements(role_of["detect"]) for a in as_list(st["Action"])))
    vault_writes = [st for st in statements(role_of["deidentify"]) if "dynamodb:PutItem" in as_list(st["Action"])]
    check("deidentify writes only the vault (never the audit trail)", all(ref_name(st["Resource"]) == "VaultTable" for st in vault_writes))
    deletes = [st for st in statements(role_of["deidentify"]) if "s3:DeleteObject" in as_list(st["Action"])]
    check("deidentify may delete only masked intermediates (work/*)",
          len(deletes) == 1 and as_list(deletes[0]["Action"]) == ["s3:DeleteObject"]
          and as_list(deletes[0]["Resource"]) == [{"Fn::Sub": "${DocumentBucket.Arn}/work/*"}], str(deletes))
    def s3_writes(role):
        return sorted(str(r) for st in statements(role_of[role]) if "s3:PutObject" in as_list(st["Action"])
                      for r in as_list(st["Resource"]))
    check("deidentify writes results, and chunk parts under work/ (nowhere else)",
          s3_writes("deidentify") == sorted(str({"Fn::Sub": f"${{DocumentBucket.Arn}}/{p}/*"}) for p in ("results", "work")),
          str(s3_writes("deidentify")))
    check("mask writes only work/*", s3_writes("mask") == [str({"Fn::Sub": "${DocumentBucket.Arn}/work/*"})], str(s3_writes("mask")))
    check("detect writes only work/* (large entity lists)", s3_writes("detect") == [str({"Fn::Sub": "${DocumentBucket.Arn}/work/*"})], str(s3_writes("detect")))
    for other in ("detect", "mask", "reidentify", "api"):
        check(f"{other} role deletes no objects",
              not any(a in ("s3:DeleteObject", "s3:DeleteObjectVersion") for st in statements(role_of[other]) for a in as_list(st["Action"])))
    re_sts = statements(role_of["reidentify"])

    def grants(sts, action, resource_lid):
        return any(st["Effect"] == "Allow" and action in as_list(st["Action"])
                   and resource_lid in [ref_name(r) for r in as_list(st["Resource"])] for st in sts)
    for action in ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem"):
        check(f"reidentify: {action} on the vault", grants(re_sts, action, "VaultTable"))
    vault_puts = [st for st in re_sts if st["Effect"] == "Allow" and ref_name(st.get("Resource")) == "VaultTable"
                  and "dynamodb:PutItem" in as_list(st["Action"])]
    check("reidentify: its only vault writes are erasure tombstones (token and erased_at alone)",
          len(vault_puts) == 1
          and set(as_list(vault_puts[0]["Action"])) == {"dynamodb:PutItem"}
          and vault_puts[0].get("Condition") == {"ForAllValues:StringEquals": {"dynamodb:Attributes": ["token", "erased_at"]}},
          str(vault_puts))
    check("reidentify: no vault DeleteItem (a tombstone replaces the item)",
          not grants(re_sts, "dynamodb:DeleteItem", "VaultTable"))
    check("reidentify: PutItem and Query on the audit table", grants(re_sts, "dynamodb:PutItem", "AuditTable")
          and grants(re_sts, "dynamodb:Query", "AuditTable"))
    check("reidentify: Query on the audit table's indexes",
          any(st["Effect"] == "Allow" and "dynamodb:Query" in as_list(st["Action"])
              and {"Fn::Sub": "${AuditTable.Arn}/index/*"} in as_list(st["Resource"]) for st in re_sts))
    check("reidentify: no write to the vault but erasure",
          not any(st["Effect"] == "Allow" and ref_name(st.get("Resource")) == "VaultTable"
                  and set(as_list(st["Action"])) & {"dynamodb:UpdateItem", "dynamodb:BatchWriteItem"}
                  for st in re_sts))
    log_level = t.get("Parameters", {}).get("LogLevel", {})
    check("LogLevel offers levels up to debug, never trace (the runtime logs raw events at trace)",
          log_level.get("AllowedValues") == ["error", "warn", "info", "debug"], str(log_level))
    # The reidentify function checks the caller's token itself, against the authorizer's issuer
    # and the auditor clients only; its resource policy names the API role alone.
    re_env = P("ReidentifyFunction")["Environment"]["Variables"]
    authorizer = P("JwtAuthorizer")["JwtConfiguration"]
    check("reidentify: CALLER_ISSUER is the authorizer's issuer",
          re_env.get("CALLER_ISSUER") == authorizer["Issuer"], str(re_env.get("CALLER_ISSUER")))
    callers = re_env.get("CALLER_CLIENT_IDS", {}).get("Fn::Join", [None, []])[1]
    check("reidentify: CALLER_CLIENT_IDS are the auditor clients (never the pipeline client)",
          sorted(ref_name(c) for c in callers) == ["AuditorClient", "AuditorWebClient"], str(callers))
    permissions = [r for r in res.values() if r["Type"] == "AWS::Lambda::Permission"
                   and ref_name(r["Properties"]["FunctionName"]) == "ReidentifyFunction"]
    check("reidentify: one resource-policy statement, for the API role only",
          len(permissions) == 1 and permissions[0]["Properties"]["Principal"] == {"Fn::GetAtt": ["ApiRole", "Arn"]}
          and permissions[0]["Properties"]["Action"] == "lambda:InvokeFunction", str(permissions))
    check("reidentify: no Scan of the audit trail (it pages through an index)",
          not any("dynamodb:Scan" in as_list(st["Action"]) for st in re_sts))
    indexes = {g["IndexName"]: [(k["AttributeName"], k["KeyType"]) for k in g["KeySchema"]]
               for g in P("AuditTable").get("GlobalSecondaryIndexes", [])}
    check("audit table: by-subject (sub, at) and by-time (trail, at), as reidentify/src/aws/audit_table.rs",
          indexes == {"by-subject": [("sub", "HASH"), ("at", "RANGE")], "by-time": [("trail", "HASH"), ("at", "RANGE")]},
          str(indexes))
    audit = [st for st in re_sts if "AuditTable" in [ref_name(r) for r in as_list(st.get("Resource"))]]
    check("reidentify: audit trail is append-only (PutItem allowed, Update/Delete denied)",
          any(st["Effect"] == "Allow" and "dynamodb:PutItem" in st["Action"] for st in audit)
          and not any(st["Effect"] == "Allow" and set(as_list(st["Action"])) & {"dynamodb:UpdateItem", "dynamodb:DeleteItem"} for st in audit)
          and any(st["Effect"] == "Deny" and {"dynamodb:UpdateItem", "dynamodb:DeleteItem"} <= set(st["Action"]) for st in audit), str(audit))
    api_sts = statements(role_of["api"])
    api_actions = {a for st in api_sts if st["Effect"] == "Allow" for a in as_list(st["Action"])}
    check("api: cannot read vault items back, erase or overwrite them unconditionally",
          not api_actions & VAULT_READ_OR_ERASE, str(sorted(api_actions & VAULT_READ_OR_ERASE)))
    api_ddb = [st for st in api_sts if any(a.startswith("dynamodb:") for a in as_list(st["Action"]))]
    check("api: dynamodb:PutItem on the vault only (never the audit trail)",
          api_ddb and all(as_list(st["Action"]) == ["dynamodb:PutItem"] and as_list(st["Resource"]) == [{"Fn::GetAtt": ["VaultTable", "Arn"]}]
                          for st in api_ddb), str(api_ddb))
    api_s3 = {a: sorted(str(r) for st in api_sts if st["Effect"] == "Allow" and a in as_list(st["Action"])
                        for r in as_list(st["Resource"]))
              for a in sorted({a for a in api_actions if a.startswith("s3:")})}
    check("api: s3:PutObject under DocumentPrefix only (presigned uploads), s3:GetObject there (HeadObject"
          " of a source) and under results/ (presigned downloads), nothing else in the bucket",
          api_s3 == {"s3:GetObject": sorted(str({"Fn::Sub": f"${{DocumentBucket.Arn}}/{p}"})
                                            for p in ("${DocumentPrefix}*", "results/*")),
                     "s3:PutObject": [str({"Fn::Sub": "${DocumentBucket.Arn}/${DocumentPrefix}*"})]},
          str(api_s3))
    check("api: invokes only reidentify",
          [ref_name(st["Resource"]) for st in api_sts if "lambda:InvokeFunction" in as_list(st["Action"])] == ["ReidentifyFunction"])
    sm_name = lambda lid: P(lid).get("StateMachineName")  # noqa: E731
    check("api: StartExecution on the documents and jobs state machines only",
          sorted(str(as_list(st["Resource"])) for st in api_sts if "states:StartExecution" in as_list(st["Action"]))
          == sorted(str([{"Ref": m}]) for m in ("DocumentsStateMachine", "JobsStateMachine")))
    describe = [st for st in api_sts if "states:DescribeExecution" in as_list(st["Action"])]

    def sub_name(lid):
        n = sm_name(lid)
        return n.get("Fn::Sub") if isinstance(n, dict) else n
    doc_name, jobs_name = sub_name("DocumentsStateMachine"), sub_name("JobsStateMachine")
    executions = lambda name: {"Fn::Sub": f"arn:${{AWS::Partition}}:states:${{AWS::Region}}:${{AWS::AccountId}}:execution:{name}:*"}  # noqa: E731
    check("api: DescribeExecution on the documents and jobs machines' executions only",
          sorted(str(as_list(st["Resource"])) for st in describe) == sorted(str([executions(n)]) for n in (doc_name, jobs_name)),
          str(describe))
    map_runs = [st for st in api_sts if {"states:ListMapRuns", "states:DescribeMapRun"} & set(as_list(st["Action"]))]
    check("api: Map Run reads on the jobs machine only",
          map_runs and all(f":{jobs_name}" in str(st["Resource"]) for st in map_runs), str(map_runs))
    check("api: StartSyncExecution on the records state machine only",
          [as_list(st["Resource"]) for st in api_sts if "states:StartSyncExecution" in as_list(st["Action"])] in ([], [[{"Ref": "RecordsStateMachine"}]]))

    # ---------------------------------------------------------------- state machines
    smr = P("StateMachineRole")
    invoke = [st for pol in smr["Policies"] for st in as_list(pol["PolicyDocument"]["Statement"]) if "lambda:InvokeFunction" in as_list(st["Action"])]
    check("state machine role: lambda:InvokeFunction on exactly detect, mask, deidentify",
          len(invoke) == 1 and sorted(ref_name(r) for r in as_list(invoke[0]["Resource"])) == ["DeidentifyFunction", "DetectFunction", "MaskFunction"], str(invoke))
    check("state machine role: assumed by states.amazonaws.com", [s["Principal"] for s in smr["AssumeRolePolicyDocument"]["Statement"]] == [{"Service": "states.amazonaws.com"}])
    for lid, name, kind in [("DocumentsStateMachine", "documents", "STANDARD"), ("RecordsStateMachine", "records", "EXPRESS")]:
        sp = P(lid)
        check(f"{name} state machine: {kind}", sp.get("StateMachineType") == kind)
        loc = sp.get("DefinitionS3Location", {})
        check(f"{name} state machine: definition from the artifact bucket",
              loc.get("Bucket") == {"Ref": "ArtifactBucket"} and loc.get("Key") == {"Fn::Sub": f"${{ArtifactPrefix}}/statemachine/{name}.asl.json"}, str(loc))
        asl = (ROOT / "statemachine" / f"{name}.asl.json").read_text()
        placeholders = set(re.findall(r"\$\{(\w+)\}", asl))
        subs = sp.get("DefinitionSubstitutions", {})
        check(f"{name} state machine: substitutions fill every placeholder of {name}.asl.json",
              placeholders and placeholders == set(subs), f"asl={sorted(placeholders)} subs={sorted(subs)}")
        check(f"{name} state machine: substitutions are the function ARNs",
              all(ref_name(v) == k.replace("FunctionArn", "Function") for k, v in subs.items()), str(subs))
        check(f"{name} state machine: role is StateMachineRole", ref_name(sp.get("RoleArn")) == "StateMachineRole")
        lc = sp.get("LoggingConfiguration", {})
        check(f"{name} state machine: logs without execution data (PII)", lc.get("IncludeExecutionData") is False)

    jr = P("JobsStateMachineRole")
    jr_sts = [st for pol in jr["Policies"] for st in as_list(pol["PolicyDocument"]["Statement"])]
    jr_invoke = [st for st in jr_sts if "lambda:InvokeFunction" in as_list(st["Action"])]
    check("jobs role: lambda:InvokeFunction on exactly detect, mask, deidentify",
          len(jr_invoke) == 1 and sorted(ref_name(r) for r in as_list(jr_invoke[0]["Resource"])) == ["DeidentifyFunction", "DetectFunction", "MaskFunction"], str(jr_invoke))
    jr_s3 = {a: as_list(st["Resource"]) for st in jr_sts for a in as_list(st["Action"]) if a.startswith("s3:")}
    check("jobs role: lists and reads under DocumentPrefix, writes only jobs/*",
          jr_s3 == {"s3:ListBucket": [{"Fn::GetAtt": ["DocumentBucket", "Arn"]}],
                    "s3:GetObject": [{"Fn::Sub": "${DocumentBucket.Arn}/${DocumentPrefix}*"}],
                    "s3:PutObject": [{"Fn::Sub": "${DocumentBucket.Arn}/jobs/*"}]}
          and any(st.get("Condition", {}).get("StringLike", {}).get("s3:prefix") == {"Fn::Sub": "${DocumentPrefix}*"}
                  for st in jr_sts if "s3:ListBucket" in as_list(st["Action"])), str(jr_s3))
    jr_states = {a: str(st["Resource"]) for st in jr_sts for a in as_list(st["Action"]) if a.startswith("states:")}
    check("jobs role: starts, describes and stops only its own child executions",
          set(jr_states) == {"states:StartExecution", "states:DescribeExecution", "states:StopExecution"}
          and all("${AWS::StackName}-jobs" in r for r in jr_states.values()), str(jr_states))
    check("jobs role: assumed by states.amazonaws.com", [s["Principal"] for s in jr["AssumeRolePolicyDocument"]["Statement"]] == [{"Service": "states.amazonaws.com"}])
    js = P("JobsStateMachine")
    check("jobs state machine: STANDARD, its own role, definition from the artifact bucket, no execution data in logs",
          js.get("StateMachineType") == "STANDARD" and ref_name(js.get("RoleArn")) == "JobsStateMachineRole"
          and js.get("DefinitionS3Location", {}).get("Key") == {"Fn::Sub": "${ArtifactPrefix}/statemachine/jobs.asl.json"}
          and js.get("LoggingConfiguration", {}).get("IncludeExecutionData") is False, str(js))
    jobs_asl = (ROOT / "statemachine" / "jobs.asl.json").read_text()
    check("jobs state machine: substitutions fill every placeholder of jobs.asl.json",
          set(re.findall(r"\$\{(\w+)\}", jobs_asl)) == set(js.get("DefinitionSubstitutions", {})), str(js.get("DefinitionSubstitutions")))
    jobs_def = json.loads(jobs_asl)
    maps = [s for s in jobs_def["States"].values() if s["Type"] == "Map"]
    check("jobs definition: Distributed Maps that write results under jobs/ and tolerate a bounded share of failures",
          maps and all(m["ItemProcessor"]["ProcessorConfig"]["Mode"] == "DISTRIBUTED"
                       and m["ResultWriter"]["Resource"] == "arn:aws:states:::s3:putObject"
                       and 0 < m.get("ToleratedFailurePercentage", 0) < 100 for m in maps), "")

    # ---------------------------------------------------------------- tables and keys
    for lid, pk in [("VaultTable", "token"), ("AuditTable", "id")]:
        tp = P(lid)
        check(f"{lid}: key {pk}", tp.get("KeySchema") == [{"AttributeName": pk, "KeyType": "HASH"}])
        check(f"{lid}: on-demand", tp.get("BillingMode") == "PAY_PER_REQUEST")
        sse = tp.get("SSESpecification", {})
        check(f"{lid}: SSE with the customer-managed TableKey",
              sse.get("SSEEnabled") is True and sse.get("SSEType") == "KMS" and ref_name(sse.get("KMSMasterKeyId")) == "TableKey", str(sse))
        check(f"{lid}: PITR", tp.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled") is True)
        check(f"{lid}: deletion protection from the parameter",
              tp.get("DeletionProtectionEnabled") == {"Fn::If": ["ProtectDeletion", True, False]}, str(tp.get("DeletionProtectionEnabled")))
        check(f"{lid}: TTL on expires_at", tp.get("TimeToLiveSpecification") == {"AttributeName": "expires_at", "Enabled": True})
    for lid in ["DataKey", "TableKey"]:
        kp = P(lid)
        check(f"{lid}: rotation enabled", kp.get("EnableKeyRotation") is True)
        check(f"{lid}: key policy", bool(kp.get("KeyPolicy", {}).get("Statement")))
    dk = P("DataKey")["KeyPolicy"]["Statement"]
    deny = [s for s in dk if s["Effect"] == "Deny"]
    check("DataKey: denies Decrypt/GenerateDataKey*/Encrypt unless purpose is piiflow-token or piiflow-data",
          len(deny) == 1 and {"kms:Decrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:Encrypt"} <= set(deny[0]["Action"])
          and sorted(as_list(deny[0].get("Condition", {}).get("StringNotEquals", {}).get("kms:EncryptionContext:purpose", []))) == KEYRING_PURPOSES
          and deny[0]["Principal"] == {"AWS": "*"}, str(deny))
    # Decrypt under the keyring's context for exactly the three roles with a vault; the account
    # (IAM) administers the key and wraps new keyring keys but can neither decrypt nor grant.
    allows = [s for s in dk if s["Effect"] == "Allow"]
    root = {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}
    use_actions = {"kms:*", "kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:ReEncryptFrom", "kms:ReEncryptTo",
                   "kms:CreateGrant", "kms:Create*", "kms:GenerateDataKey", "kms:GenerateDataKey*"}
    check("DataKey: the account administers the key without any use or grant action",
          all(not set(as_list(s["Action"])) & use_actions for s in allows if s["Principal"] == root), str(allows))
    decrypt = [s for s in allows if "kms:Decrypt" in as_list(s["Action"])]
    check("DataKey: kms:Decrypt for exactly the deidentify, reidentify and api roles, under the keyring context",
          len(decrypt) == 1 and as_list(decrypt[0]["Action"]) == ["kms:Decrypt"]
          and sorted(ref_name(p) for p in as_list(decrypt[0]["Principal"]["AWS"])) == ["ApiRole", "DeidentifyRole", "ReidentifyRole"]
          and sorted(as_list(decrypt[0].get("Condition", {}).get("StringEquals", {}).get("kms:EncryptionContext:purpose", []))) == KEYRING_PURPOSES
          and set(decrypt[0].get("Condition", {})) == {"StringEquals"}, str(decrypt))
    wrap = [s for s in allows if s["Principal"] == root and "kms:GenerateDataKeyWithoutPlaintext" in as_list(s["Action"])]
    check("DataKey: the account may only wrap new keyring keys (GenerateDataKeyWithoutPlaintext, keyring context)",
          len(wrap) == 1 and as_list(wrap[0]["Action"]) == ["kms:GenerateDataKeyWithoutPlaintext"]
          and sorted(as_list(wrap[0]["Condition"]["StringEquals"]["kms:EncryptionContext:purpose"])) == KEYRING_PURPOSES, str(wrap))
    check("DataKey: every Allow is one of those three", len(allows) == 3, str(allows))
    for name, role in role_of.items():
        kms = [st for st in statements(role) if any(a.startswith("kms:") for a in as_list(st["Action"]))]
        if name == "keyring-resource":
            check("role of keyring-resource: its one KMS right wraps keyring keys under DataKey (no Decrypt)",
                  len(kms) == 1 and as_list(kms[0]["Action"]) == ["kms:GenerateDataKeyWithoutPlaintext"]
                  and ref_name(kms[0]["Resource"]) == "DataKey"
                  and sorted(as_list(kms[0].get("Condition", {}).get("StringEquals", {}).get("kms:EncryptionContext:purpose", []))) == KEYRING_PURPOSES,
                  str(kms))
            continue
        check(f"role of {name}: no KMS statement (the DataKey policy names who may decrypt)", not kms, str(kms))
    ssm_readers = sorted(n for n, role in role_of.items()
                         if any("ssm:GetParameter" in as_list(st["Action"]) for st in statements(role)))
    check("the keyring parameter is read by exactly the functions with a vault and the keyring resource",
          ssm_readers == ["api", "deidentify", "keyring-resource", "reidentify"], str(ssm_readers))
    ssm_writers = sorted(n for n, role in role_of.items()
                         if any(a.startswith("ssm:") and a != "ssm:GetParameter" for st in statements(role) for a in as_list(st["Action"])))
    check("only the keyring resource writes the keyring parameter", ssm_writers == ["keyring-resource"], str(ssm_writers))
    kr = res.get("Keyring", {})
    check("Keyring: the custom resource of KeyringResourceFunction, under DataKey, in the parameter the functions read",
          kr.get("Type") == "Custom::Keyring"
          and kr.get("Properties", {}).get("ServiceToken") == {"Fn::GetAtt": ["KeyringResourceFunction", "Arn"]}
          and ref_name(kr.get("Properties", {}).get("DataKeyId")) == "DataKey"
          and kr.get("Properties", {}).get("ParameterName") == KEYRING_PARAMETER
          and set(kr.get("Properties", {})) == {"ServiceToken", "DataKeyId", "ParameterName"}, str(kr))
    check("Keyring: no DeletionPolicy/UpdateReplacePolicy Delete (the handler leaves the parameter; nothing replaces it)",
          kr.get("DeletionPolicy") in (None, "Retain") and kr.get("UpdateReplacePolicy") in (None, "Retain"), str(kr))
    check("output KeyringParameter names the parameter", t["Outputs"].get("KeyringParameter", {}).get("Value") == KEYRING_PARAMETER)
    kf = P("KeyringResourceFunction")
    check("keyring resource function: no vault, no table, no keyring in its environment",
          set(kf.get("Environment", {}).get("Variables", {})) == {"RUST_LOG"}, str(kf.get("Environment")))
    kp = t["Parameters"].get("KeyringCiphertext", {})
    check("KeyringCiphertext: optional (empty default), NoEcho, describes the WrappedKeyring format, its purposes and the piiflow-keyring tool",
          kp.get("NoEcho") is True and kp.get("Default") == "" and all(w in kp.get("Description", "") for w in
                                           ["token_keys", "data_keys", "piiflow-token", "piiflow-data", "piiflow-keyring", "DATA_KEY_ID", "/<stack>/keyring"])
          and "purpose=piiflow-keyring" not in kp.get("Description", ""),
          kp.get("Description", ""))
    check("no trace of the old single-blob context purpose=piiflow-keyring", "purpose=piiflow-keyring" not in TEMPLATE.read_text()
          and ": piiflow-keyring" not in TEMPLATE.read_text())
    tk = P("TableKey")["KeyPolicy"]["Statement"]
    check("TableKey: usable only through DynamoDB",
          all("kms:ViaService" in str(s.get("Condition")) for s in tk if s["Principal"] != {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}))

    # ---------------------------------------------------------------- bucket, upload rule
    bp = P("DocumentBucket")
    pab = bp.get("PublicAccessBlockConfiguration", {})
    check("bucket: public access block (all four)",
          all(pab.get(k) is True for k in ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"]), str(pab))
    check("bucket: default encryption",
          bp.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration", [{}])[0].get("ServerSideEncryptionByDefault", {}).get("SSEAlgorithm") in ("AES256", "aws:kms"))
    check("bucket: EventBridge notifications on", bp.get("NotificationConfiguration", {}).get("EventBridgeConfiguration", {}).get("EventBridgeEnabled") is True)
    pols = [P(lid) for lid in by_type.get("AWS::S3::BucketPolicy", {}) if ref_name(P(lid).get("Bucket")) == "DocumentBucket"]
    tls = [s for p in pols for s in p["PolicyDocument"]["Statement"]
           if s["Effect"] == "Deny" and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"]
    check("bucket: TLS-only policy on the bucket and its objects",
          len(tls) == 1 and tls[0]["Principal"] == "*" and tls[0]["Action"] == "s3:*" and len(as_list(tls[0]["Resource"])) == 2, str(tls))
    rule = P("UploadRule")
    pat = rule.get("EventPattern", {})
    check("upload rule: Object Created in the bucket under DocumentPrefix",
          pat.get("source") == ["aws.s3"] and pat.get("detail-type") == ["Object Created"]
          and pat.get("detail", {}).get("object", {}).get("key") == [{"prefix": {"Ref": "DocumentPrefix"}}]
          and pat.get("detail", {}).get("bucket", {}).get("name") == [{"Ref": "DocumentBucket"}], str(pat))
    tg = rule.get("Targets", [{}])
    check("upload rule: one target, the ingest queue", len(tg) == 1 and ref_name(tg[0].get("Arn")) == "IngestQueue", str(tg))
    tg = tg[0]
    check("upload rule: dead-letter queue and retry policy",
          ref_name(tg.get("DeadLetterConfig", {}).get("Arn")) == "UploadDeadLetterQueue" and tg.get("RetryPolicy", {}).get("MaximumRetryAttempts"))
    check("upload rule: the whole event goes on the queue (the ingest function reads bucket, key and ETag)",
          "InputTransformer" not in tg and "Input" not in tg and "InputPath" not in tg and "RoleArn" not in tg, str(tg))
    check("no upload rule role (SQS targets are allowed by the queue policy)", "UploadRuleRole" not in res)
    queues = by_type.get("AWS::SQS::Queue", {})
    check("queues: upload and ingest dead letters, ingest, failed documents",
          set(queues) == {"UploadDeadLetterQueue", "IngestDeadLetterQueue", "IngestQueue", "FailedDocumentsQueue"}, str(sorted(queues)))
    for lid, q in queues.items():
        check(f"{lid}: encrypted", q["Properties"].get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in q["Properties"])
    for lid in ("UploadDeadLetterQueue", "IngestDeadLetterQueue", "FailedDocumentsQueue"):
        check(f"{lid}: keeps messages 14 days", P(lid).get("MessageRetentionPeriod") == 1209600)
    iq = P("IngestQueue")
    check("ingest queue: redrive to its dead-letter queue after a bounded number of receives",
          ref_name(iq.get("RedrivePolicy", {}).get("deadLetterTargetArn")) == "IngestDeadLetterQueue"
          and 1 < iq.get("RedrivePolicy", {}).get("maxReceiveCount", 0) <= 10, str(iq.get("RedrivePolicy")))
    check("ingest queue: visibility timeout at least six times the ingest function's timeout",
          iq.get("VisibilityTimeout", 30) >= 6 * P("IngestFunction")["Timeout"], str(iq.get("VisibilityTimeout")))
    esm = [P(lid) for lid in by_type.get("AWS::Lambda::EventSourceMapping", {})]
    check("ingest queue feeds the ingest function in batches, with partial batch failures and bounded concurrency",
          len(esm) == 1 and ref_name(esm[0]["EventSourceArn"]) == "IngestQueue" and ref_name(esm[0]["FunctionName"]) == "IngestFunction"
          and 1 < esm[0].get("BatchSize", 0) <= 10 and esm[0].get("MaximumBatchingWindowInSeconds", 0) > 0
          and esm[0].get("FunctionResponseTypes") == ["ReportBatchItemFailures"]
          and esm[0].get("ScalingConfig", {}).get("MaximumConcurrency"), str(esm))
    qpols = {ref_name(P(lid)["Queues"][0]): P(lid)["PolicyDocument"]["Statement"] for lid in by_type.get("AWS::SQS::QueuePolicy", {})}
    for queue, rule_lid in [("UploadDeadLetterQueue", "UploadRule"), ("IngestQueue", "UploadRule"), ("FailedDocumentsQueue", "DocumentRunFailedRule")]:
        sts = qpols.get(queue, [])
        sends = [st for st in sts if st["Effect"] == "Allow"]
        check(f"{queue}: only its rule may send (EventBridge, SourceArn) and TLS only",
              len(sends) == 1 and sends[0]["Principal"] == {"Service": "events.amazonaws.com"} and sends[0]["Action"] == "sqs:SendMessage"
              and ref_name(sends[0]["Condition"]["ArnEquals"]["aws:SourceArn"]) == rule_lid
              and any(st["Effect"] == "Deny" and st.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false" for st in sts),
              str(sts))
    ing_env = env("IngestFunction")
    check("ingest env: the documents state machine, bucket, prefix, policy",
          ref_name(ing_env.get("DOCUMENTS_STATE_MACHINE_ARN")) == "DocumentsStateMachine" and ref_name(ing_env.get("DOCUMENT_BUCKET")) == "DocumentBucket"
          and ing_env.get("DOCUMENT_PREFIX") == {"Ref": "DocumentPrefix"} and ing_env.get("POLICY") == {"Ref": "Policy"}, str(ing_env))
    ing = statements(role_of["ingest"])
    check("ingest role: consumes exactly the ingest queue, starts exactly the documents state machine",
          all(ref_name(st["Resource"]) == "IngestQueue" for st in ing if any(a.startswith("sqs:") for a in as_list(st["Action"])))
          and [ref_name(st["Resource"]) for st in ing if "states:StartExecution" in as_list(st["Action"])] == ["DocumentsStateMachine"], str(ing))
    fr = P("DocumentRunFailedRule")
    fpat = fr.get("EventPattern", {})
    check("failed-documents rule: FAILED, TIMED_OUT and ABORTED runs of the documents state machine",
          fpat.get("source") == ["aws.states"] and fpat.get("detail-type") == ["Step Functions Execution Status Change"]
          and sorted(fpat.get("detail", {}).get("status", [])) == ["ABORTED", "FAILED", "TIMED_OUT"]
          and [ref_name(a) for a in fpat.get("detail", {}).get("stateMachineArn", [])] == ["DocumentsStateMachine"], str(fpat))
    ftg = fr.get("Targets", [])
    check("failed-documents rule: the whole event (input, execution ARN, error, cause) to the failed-documents queue",
          len(ftg) == 1 and ref_name(ftg[0]["Arn"]) == "FailedDocumentsQueue" and "InputTransformer" not in ftg[0], str(ftg))
    for out in ("IngestQueueUrl", "IngestDeadLetterQueueUrl", "FailedDocumentsQueueUrl", "UploadDeadLetterQueueUrl"):
        check(f"output {out}", out in t.get("Outputs", {}))

    # ---------------------------------------------------------------- pre-token trigger
    up = P("UserPool")
    ptg = up.get("LambdaConfig", {}).get("PreTokenGenerationConfig", {})
    check("user pool: pre-token-generation trigger is PretokenFunction with the V2_0 event",
          ptg.get("LambdaArn") == {"Fn::GetAtt": ["PretokenFunction", "Arn"]} and ptg.get("LambdaVersion") == "V2_0", str(ptg))
    check("user pool: Essentials plan (V2_0 events need it)", up.get("UserPoolTier") in ("ESSENTIALS", "PLUS"), str(up.get("UserPoolTier")))
    check("user pool: no V1 PreTokenGeneration beside the V2 config", "PreTokenGeneration" not in up.get("LambdaConfig", {}))
    perms = [P(lid) for lid in by_type.get("AWS::Lambda::Permission", {}) if ref_name(P(lid).get("FunctionName")) == "PretokenFunction"]
    check("pretoken: only Cognito of this pool may invoke it",
          len(perms) == 1 and perms[0].get("Principal") == "cognito-idp.amazonaws.com"
          and perms[0].get("SourceArn") == {"Fn::Sub": "arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${UserPool}"}
          and perms[0].get("SourceAccount") == {"Ref": "AWS::AccountId"}
          and perms[0].get("Action") == "lambda:InvokeFunction", str(perms))
    check("auditors group exists", P("AuditorsGroup").get("GroupName") == "auditors")

    # ---------------------------------------------------------------- alarms
    alarms = {lid: P(lid) for lid in by_type.get("AWS::CloudWatch::Alarm", {})}
    at = t["Parameters"].get("AlarmTopicArn", {})
    check("AlarmTopicArn: optional SNS topic", at.get("Default") == "" and "sns" in at.get("AllowedPattern", ""), str(at))
    for lid, a in alarms.items():
        check(f"{lid}: notifies AlarmTopicArn when given, on alarm and back to OK",
              a.get("AlarmActions") == {"Fn::If": ["NotifyAlarms", [{"Ref": "AlarmTopicArn"}], {"Ref": "AWS::NoValue"}]}
              and a.get("OKActions") == a.get("AlarmActions"), str(a.get("AlarmActions")))
        check(f"{lid}: fires on more than zero, an idle stack stays OK",
              a.get("Threshold") == 0 and a.get("ComparisonOperator") == "GreaterThanThreshold"
              and a.get("TreatMissingData") == "notBreaching", str(a))
    dlq_alarmed = sorted(ref_name(d["Value"]) for a in alarms.values() if a.get("MetricName") == "ApproximateNumberOfMessagesVisible"
                         for d in a.get("Dimensions", []))
    check("alarms: every dead-letter queue (and the failed-documents queue) when not empty",
          dlq_alarmed == ["FailedDocumentsQueue", "IngestDeadLetterQueue", "UploadDeadLetterQueue"], str(dlq_alarmed))

    def math_metrics(a):
        return [(m["MetricStat"]["Metric"]["MetricName"], ref_name(m["MetricStat"]["Metric"]["Dimensions"][0]["Value"]))
                for m in a.get("Metrics", []) if "MetricStat" in m]
    for metric in ("Errors", "Throttles"):
        covered = sorted(f for a in alarms.values() for (m, f) in math_metrics(a) if m == metric)
        check(f"alarms: Lambda {metric} of every function", covered == sorted(FUNCTIONS.values()), str(covered))
    for machine in ("DocumentsStateMachine", "JobsStateMachine", "RecordsStateMachine"):
        covered = sorted(m for a in alarms.values() for (m, sm) in math_metrics(a) if sm == machine)
        check(f"alarms: {machine} executions failed, timed out or aborted",
              covered == ["ExecutionsAborted", "ExecutionsFailed", "ExecutionsTimedOut"], str(covered))
    api5xx = [a for a in alarms.values() if a.get("Namespace") == "AWS/ApiGateway"]
    check("alarms: API 5xx", any(a.get("MetricName") in ("5xx", "5XXError") for a in api5xx), str(api5xx))
    filters = {ref_name(P(lid)["LogGroupName"]): P(lid) for lid in by_type.get("AWS::Logs::MetricFilter", {})}
    check("Comprehend fallbacks: a metric filter on the degraded log field of detect and api",
          sorted(filters) == ["ApiLogGroup", "DetectLogGroup"]
          and all(f["FilterPattern"] == "{ $.fields.degraded IS TRUE }" for f in filters.values()), str(filters))
    fallback_metrics = {(m["MetricNamespace"] if isinstance(m["MetricNamespace"], str) else str(m["MetricNamespace"]), m["MetricName"])
                        for f in filters.values() for m in f["MetricTransformations"]}
    check("Comprehend fallbacks: alarmed",
          len(fallback_metrics) == 1 and any((str(a.get("Namespace")), a.get("MetricName")) in fallback_metrics for a in alarms.values()),
          str(fallback_metrics))

    # ---------------------------------------------------------------- log groups
    for lid in by_type.get("AWS::Logs::LogGroup", {}):
        check(f"{lid}: retention from LogRetentionDays", P(lid).get("RetentionInDays") == {"Ref": "LogRetentionDays"})


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001
        import traceback
        traceback.print_exc()
        failed += 1
        print(f"  FAIL structural test raised {e!r}")
    print(f"template: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
