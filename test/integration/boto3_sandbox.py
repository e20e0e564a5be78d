# A second, independent AWS client against the esmctl sandbox: boto3 (Python) runs the Kafka mapping life cycle
# and the IAM / STS / MSK / Secrets Manager reads esmctl uses, and prints a JSON summary for boto3-sandbox.test.ts.
import json
import os
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = os.environ["SANDBOX_URL"]
cluster = os.environ["SANDBOX_CLUSTER"]
session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
config = Config(retries={"max_attempts": 1, "mode": "standard"})
client = lambda name: session.client(name, endpoint_url=endpoint, config=config)

out = {"boto3": boto3.__version__}
lam = client("lambda")


def error_of(fn):
    try:
        fn()
    except ClientError as e:
        return {"code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"], "message": e.response["Error"]["Message"]}
    return None


created = lam.create_event_source_mapping(
    FunctionName="ingest", EventSourceArn=cluster, Topics=["boto3.topic"], StartingPosition="TRIM_HORIZON", BatchSize=50
)
uuid = created["UUID"]
out["created"] = {"State": created["State"], "BatchSize": created["BatchSize"], "FunctionArn": created["FunctionArn"], "status": created["ResponseMetadata"]["HTTPStatusCode"]}
out["conflict"] = error_of(lambda: lam.create_event_source_mapping(FunctionName="ingest", EventSourceArn=cluster, Topics=["boto3.topic"], StartingPosition="LATEST"))
out["invalid"] = error_of(lambda: lam.create_event_source_mapping(FunctionName="ingest", EventSourceArn=cluster, Topics=["boto3.other"], StartingPosition="LATEST", BatchSize=20000))

deadline = time.time() + 5
while lam.get_event_source_mapping(UUID=uuid)["State"] != "Enabled" and time.time() < deadline:
    time.sleep(0.05)
out["settled"] = lam.get_event_source_mapping(UUID=uuid)["State"]

for i in range(120):
    lam.create_event_source_mapping(FunctionName="ingest", EventSourceArn=cluster, Topics=["page.%03d" % i], StartingPosition="LATEST")
pages = [len(p["EventSourceMappings"]) for p in lam.get_paginator("list_event_source_mappings").paginate(EventSourceArn=cluster)]
out["pages"] = pages

updated = lam.update_event_source_mapping(UUID=uuid, BatchSize=75, FilterCriteria={})
out["updated"] = {"State": updated["State"], "BatchSize": updated["BatchSize"]}
# built here: older botocore (Debian's) does not know the EventSourceMappingArn response field
esm_arn = "arn:aws:lambda:us-east-1:123456789012:event-source-mapping:" + uuid
lam.tag_resource(Resource=esm_arn, Tags={"team": "py"})
out["tags"] = lam.list_tags(Resource=esm_arn)["Tags"]
deadline = time.time() + 5
while lam.get_event_source_mapping(UUID=uuid)["State"] != "Enabled" and time.time() < deadline:
    time.sleep(0.05)
out["deleted"] = lam.delete_event_source_mapping(UUID=uuid)["State"]
out["missing"] = error_of(lambda: lam.get_event_source_mapping(UUID="11111111-2222-3333-4444-555555555555"))

iam = client("iam")
out["role"] = iam.get_role(RoleName="ingest-role")["Role"]["Arn"]
# botocore decodes IAM's URL-encoded policy documents into objects
out["inline"] = iam.get_role_policy(RoleName="ingest-role", PolicyName="inline")["PolicyDocument"]
version = iam.get_policy_version(PolicyArn="arn:aws:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole", VersionId="v2")
out["mskPolicyActions"] = len(version["PolicyVersion"]["Document"]["Statement"][0]["Action"])
out["noRole"] = error_of(lambda: iam.get_role(RoleName="ghost"))
out["account"] = client("sts").get_caller_identity()["Account"]

kafka = client("kafka")
out["bootstrap"] = sorted(k for k in kafka.get_bootstrap_brokers(ClusterArn=cluster) if k.startswith("Bootstrap"))
out["clusterAuth"] = kafka.describe_cluster_v2(ClusterArn=cluster)["ClusterInfo"]["Provisioned"]["ClientAuthentication"]["Sasl"]
sm = client("secretsmanager")
out["secretUser"] = json.loads(sm.get_secret_value(SecretId="AmazonMSK_py")["SecretString"])["username"]
out["noSecret"] = error_of(lambda: sm.describe_secret(SecretId="nope"))

json.dump(out, sys.stdout)
