"""What exists on the local AWS stand-in, per kind of resource the stacks create: compared before bootstrap and after
destroy to prove nothing is left behind. AWS-owned and default things (default VPC, AWS managed policies, the
default event bus, keys pending deletion) are not counted."""


def _pages(client, operation, key, **kwargs):
    for page in client.get_paginator(operation).paginate(**kwargs):
        yield from page.get(key, [])


def take(aws):
    """{kind: set of identifiers} for every kind the bootstrap and dev stacks create."""
    c = aws.client
    ec2 = c("ec2")
    default_vpcs = {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault")}
    not_default = lambda items: {i for i, vpc in items if vpc not in default_vpcs}  # noqa: E731
    kms = c("kms")
    aliases = list(_pages(kms, "list_aliases", "Aliases"))
    # AWS managed keys (alias/aws/...): moto creates them on first use and does not mark them as AWS managed.
    aws_managed = {a["TargetKeyId"] for a in aliases if a["AliasName"].startswith("alias/aws/") and a.get("TargetKeyId")}
    found = {
        "s3 buckets": {b["Name"] for b in c("s3").list_buckets().get("Buckets", [])},
        "dynamodb tables": set(_pages(c("dynamodb"), "list_tables", "TableNames")),
        "kms keys (customer managed, not pending deletion)": {
            f"{m['KeyId']} ({m.get('Description', '')})" for m in (kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"] for k in _pages(kms, "list_keys", "Keys"))
            if m["KeyState"] != "PendingDeletion" and m.get("KeyManager") != "AWS" and m["KeyId"] not in aws_managed},
        "kms aliases": {a["AliasName"] for a in aliases if not a["AliasName"].startswith("alias/aws/")},
        "iam roles": {r["RoleName"] for r in _pages(c("iam"), "list_roles", "Roles")},
        "iam policies": {p["PolicyName"] for p in _pages(c("iam"), "list_policies", "Policies", Scope="Local")},
        "iam oidc providers": {p["Arn"] for p in c("iam").list_open_id_connect_providers()["OpenIDConnectProviderList"]},
        "log groups": {g["logGroupName"] for g in _pages(c("logs"), "describe_log_groups", "logGroups")},
        "ecr repositories": {r["repositoryName"] for r in _pages(c("ecr"), "describe_repositories", "repositories")},
        "lambda functions": {f["FunctionName"] for f in _pages(c("lambda"), "list_functions", "Functions")},
        "sns topics": {t["TopicArn"] for t in _pages(c("sns"), "list_topics", "Topics")},
        "sqs queues": set(c("sqs").list_queues().get("QueueUrls", [])),
        "vpcs": not_default((v["VpcId"], v["VpcId"]) for v in ec2.describe_vpcs()["Vpcs"]),
        "subnets": not_default((s["SubnetId"], s["VpcId"]) for s in ec2.describe_subnets()["Subnets"]),
        "security groups": not_default((g["GroupId"], g["VpcId"]) for g in ec2.describe_security_groups()["SecurityGroups"]),
        "route tables": not_default((r["RouteTableId"], r["VpcId"]) for r in ec2.describe_route_tables()["RouteTables"]),
        "vpc endpoints": {e["VpcEndpointId"] for e in ec2.describe_vpc_endpoints()["VpcEndpoints"] if e["State"] != "deleted"},
        "nat gateways": {n["NatGatewayId"] for n in ec2.describe_nat_gateways()["NatGateways"] if n["State"] not in ("deleted", "deleting")},
        "elastic ips": {a["AllocationId"] for a in ec2.describe_addresses()["Addresses"]},
        "internet gateways": {g["InternetGatewayId"] for g in ec2.describe_internet_gateways()["InternetGateways"]
                              if not any(a["VpcId"] in default_vpcs for a in g.get("Attachments", []))},
        "flow logs": {f["FlowLogId"] for f in ec2.describe_flow_logs()["FlowLogs"]},
        "glue databases": {d["Name"] for d in c("glue").get_databases()["DatabaseList"]},
        "glue jobs": set(c("glue").list_jobs()["JobNames"]),
        "glue crawlers": set(c("glue").list_crawlers()["CrawlerNames"]),
        "glue workflows": set(c("glue").list_workflows()["Workflows"]),
        "glue triggers": set(c("glue").list_triggers()["TriggerNames"]),
        "glue security configurations": {s["Name"] for s in c("glue").get_security_configurations()["SecurityConfigurations"]},
        "event rules": {r["Name"] for r in c("events").list_rules()["Rules"]},
        "scheduler schedules": {s["Name"] for s in c("scheduler").list_schedules()["Schedules"]},
        "cloudwatch alarms": {a["AlarmName"] for a in _pages(c("cloudwatch"), "describe_alarms", "MetricAlarms")},
        "sagemaker models": {m["ModelName"] for m in c("sagemaker").list_models()["Models"]},
        "sagemaker endpoint configurations": {e["EndpointConfigName"] for e in c("sagemaker").list_endpoint_configs()["EndpointConfigs"]},
        "sagemaker endpoints": {e["EndpointName"] for e in c("sagemaker").list_endpoints()["Endpoints"]},
    }
    return found


def added(before, after):
    """{kind: identifiers in after that were not in before}, only for kinds that gained something."""
    return {kind: sorted(after[kind] - before.get(kind, set())) for kind in after if after[kind] - before.get(kind, set())}
