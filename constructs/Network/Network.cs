namespace MlopsTf.Constructs.Network;

/// <summary>How many NAT gateways the network has.</summary>
public enum NatLayout
{
    /// <summary>One, in the first public subnet, shared by every private subnet.</summary>
    Single,

    /// <summary>One per availability zone; each private subnet uses its own zone's.</summary>
    PerAz,
}

/// <summary>Props for <see cref="Network"/>.</summary>
public sealed record NetworkProps
{
    /// <summary>VPC CIDR, a /16 to /20 network.</summary>
    public required string Cidr { get; init; }

    /// <summary>Two or three availability zones; each gets a public and a private subnet.</summary>
    public required IReadOnlyList<string> AvailabilityZones { get; init; }

    /// <summary>NAT gateway layout. Default: one per AZ.</summary>
    public NatLayout NatLayout { get; init; } = NatLayout.PerAz;

    /// <summary>Key for the flow-log group.</summary>
    public required CustomerManagedKey LogsKey { get; init; }

    /// <summary>Flow-log retention in days.</summary>
    public required int FlowLogRetentionDays { get; init; }

    /// <summary>Services reached through interface endpoints with private DNS. Default: <see cref="DefaultInterfaceEndpoints"/>.</summary>
    public IReadOnlyList<string> InterfaceEndpoints { get; init; } = DefaultInterfaceEndpoints;

    /// <summary>sagemaker.api, sagemaker.runtime, sagemaker.featurestore-runtime, sts, logs, monitoring, ecr.api, ecr.dkr, glue, states, kms, sns.</summary>
    public static readonly IReadOnlyList<string> DefaultInterfaceEndpoints =
    [
        "sagemaker.api", "sagemaker.runtime", "sagemaker.featurestore-runtime", "sts", "logs", "monitoring",
        "ecr.api", "ecr.dkr", "glue", "states", "kms", "sns",
    ];
}

/// <summary>
/// A VPC for private ML workloads: public and private subnets in each zone, NAT per the chosen layout, the default
/// security group stripped of rules, gateway endpoints for S3 and DynamoDB, interface endpoints with private DNS,
/// security groups for SageMaker and Lambda that reach AWS only over HTTPS through those endpoints, and flow logs.
/// Private subnets take the first three quarters of the VPC (one per zone); public subnets are /+5 blocks in the last.
/// </summary>
public sealed class Network : Construct
{
    /// <summary>The VPC.</summary>
    public Vpc Vpc { get; }

    /// <summary>Private subnets, one per zone, in zone order.</summary>
    public IReadOnlyList<Subnet> PrivateSubnets { get; }

    /// <summary>Public subnets, one per zone, in zone order.</summary>
    public IReadOnlyList<Subnet> PublicSubnets { get; }

    /// <summary>NAT gateways (one, or one per zone).</summary>
    public IReadOnlyList<NatGateway> NatGateways { get; }

    /// <summary>Security group for SageMaker domain apps, training jobs and models.</summary>
    public SecurityGroup SageMakerSecurityGroup { get; }

    /// <summary>Security group for Lambda functions.</summary>
    public SecurityGroup LambdaSecurityGroup { get; }

    /// <summary>Security group of the interface endpoints.</summary>
    public SecurityGroup EndpointSecurityGroup { get; }

    /// <summary>The S3 gateway endpoint.</summary>
    public VpcEndpoint S3Endpoint { get; }

    /// <summary>The DynamoDB gateway endpoint.</summary>
    public VpcEndpoint DynamoDbEndpoint { get; }

    /// <summary>Interface endpoints by service (e.g. <c>sagemaker.api</c>).</summary>
    public IReadOnlyDictionary<string, VpcEndpoint> InterfaceEndpoints { get; }

    /// <summary>Private subnet ids, in zone order.</summary>
    public string[] PrivateSubnetIds => field ??= [.. PrivateSubnets.Select(s => s.Id)];

    /// <summary>Creates the network.</summary>
    public Network(Construct scope, string id, NetworkProps props) : base(scope, id)
    {
        var cidr = ParseCidr(props.Cidr);
        if (props.AvailabilityZones.Count is < 2 or > 3)
            throw new ArgumentException($"NetworkProps.AvailabilityZones has {props.AvailabilityZones.Count} zones ({string.Join(", ", props.AvailabilityZones)}): use two or three.");
        var context = StackContext.Of(scope);
        var name = context.NamePrefix;
        var zones = props.AvailabilityZones;

        Vpc = new Vpc(this, "vpc", new VpcConfig
        {
            CidrBlock = props.Cidr,
            EnableDnsSupport = true,
            EnableDnsHostnames = true,
            Tags = Named($"{name}-vpc"),
        });
        var defaultGroup = new DefaultSecurityGroup(this, "default-security-group", new DefaultSecurityGroupConfig
        {
            VpcId = Vpc.Id,
            Tags = Named($"{name}-default-no-rules"),
        });
        // "No rules" is ingress = [] and egress = []. As config they reach the JSON but not the HCL export (CDKTF's HCL
        // printer drops an empty list of blocks, which leaves AWS's default rules in place); as overrides they reach both.
        defaultGroup.AddOverride("ingress", Array.Empty<object>());
        defaultGroup.AddOverride("egress", Array.Empty<object>());
        var igw = new InternetGateway(this, "internet-gateway", new InternetGatewayConfig { VpcId = Vpc.Id, Tags = Named($"{name}-igw") });

        PublicSubnets = [.. zones.Select((az, i) => new Subnet(this, $"public-{az}", new SubnetConfig
        {
            VpcId = Vpc.Id,
            AvailabilityZone = az,
            CidrBlock = cidr.Subnet(cidr.PrefixLength + 5, 24 + i).ToString(),
            MapPublicIpOnLaunch = false,
            Tags = Named($"{name}-public-{az}", ("Tier", "public")),
        }))];
        PrivateSubnets = [.. zones.Select((az, i) => new Subnet(this, $"private-{az}", new SubnetConfig
        {
            VpcId = Vpc.Id,
            AvailabilityZone = az,
            CidrBlock = cidr.Subnet(cidr.PrefixLength + 2, i).ToString(),
            MapPublicIpOnLaunch = false,
            Tags = Named($"{name}-private-{az}", ("Tier", "private")),
        }))];

        var publicRoutes = new RouteTable(this, "public-routes", new RouteTableConfig { VpcId = Vpc.Id, Tags = Named($"{name}-public") });
        new Route(this, "public-default-route", new RouteConfig { RouteTableId = publicRoutes.Id, DestinationCidrBlock = "0.0.0.0/0", GatewayId = igw.Id });
        for (var i = 0; i < zones.Count; i++)
            new RouteTableAssociation(this, $"public-{zones[i]}-routes", new RouteTableAssociationConfig { RouteTableId = publicRoutes.Id, SubnetId = PublicSubnets[i].Id });

        var natZones = props.NatLayout == NatLayout.PerAz ? zones.Count : 1;
        NatGateways = [.. Enumerable.Range(0, natZones).Select(i =>
        {
            var eip = new Eip(this, $"nat-eip-{zones[i]}", new EipConfig { Domain = "vpc", Tags = Named($"{name}-nat-{zones[i]}") });
            return new NatGateway(this, $"nat-{zones[i]}", new NatGatewayConfig
            {
                AllocationId = eip.Id,
                SubnetId = PublicSubnets[i].Id,
                Tags = Named($"{name}-nat-{zones[i]}"),
                DependsOn = [igw],
            });
        })];

        var privateRouteTables = new List<RouteTable>();
        for (var i = 0; i < zones.Count; i++)
        {
            var table = new RouteTable(this, $"private-{zones[i]}-route-table", new RouteTableConfig { VpcId = Vpc.Id, Tags = Named($"{name}-private-{zones[i]}") });
            new Route(this, $"private-{zones[i]}-default-route", new RouteConfig
            {
                RouteTableId = table.Id,
                DestinationCidrBlock = "0.0.0.0/0",
                NatGatewayId = NatGateways[Math.Min(i, NatGateways.Count - 1)].Id,
            });
            new RouteTableAssociation(this, $"private-{zones[i]}-routes", new RouteTableAssociationConfig { RouteTableId = table.Id, SubnetId = PrivateSubnets[i].Id });
            privateRouteTables.Add(table);
        }
        string[] privateRouteTableIds = [.. privateRouteTables.Select(t => t.Id)];

        S3Endpoint = GatewayEndpoint("s3", context.Region, privateRouteTableIds, name);
        DynamoDbEndpoint = GatewayEndpoint("dynamodb", context.Region, privateRouteTableIds, name);

        EndpointSecurityGroup = Group("endpoints", $"{name}-vpc-endpoints", "Interface endpoints: HTTPS from the platform's workloads");
        SageMakerSecurityGroup = Group("sagemaker", $"{name}-sagemaker", "SageMaker domain apps, training jobs and models");
        LambdaSecurityGroup = Group("lambda", $"{name}-lambda", "Platform Lambda functions");

        foreach (var (client, label) in new[] { (SageMakerSecurityGroup, "SageMaker"), (LambdaSecurityGroup, "Lambda") })
        {
            Ingress(EndpointSecurityGroup, $"https-from-{label.ToLowerInvariant()}", 443, client.Id, $"HTTPS from {label} workloads");
            Egress(client, "https-to-endpoints", 443, new() { ReferencedSecurityGroupId = EndpointSecurityGroup.Id }, "HTTPS to the interface endpoints");
            Egress(client, "https-to-s3", 443, new() { PrefixListId = S3Endpoint.PrefixListId }, "HTTPS to S3 through the gateway endpoint");
            Egress(client, "https-to-dynamodb", 443, new() { PrefixListId = DynamoDbEndpoint.PrefixListId }, "HTTPS to DynamoDB through the gateway endpoint");
        }
        // Distributed training nodes and Studio apps talk to each other (and to the domain's EFS) inside this group.
        new VpcSecurityGroupIngressRule(this, "sagemaker-ingress-self", new VpcSecurityGroupIngressRuleConfig
        {
            SecurityGroupId = SageMakerSecurityGroup.Id, IpProtocol = "-1", ReferencedSecurityGroupId = SageMakerSecurityGroup.Id,
            Description = "All traffic between SageMaker workloads in this group (distributed training, Studio apps, EFS)",
        });
        new VpcSecurityGroupEgressRule(this, "sagemaker-egress-self", new VpcSecurityGroupEgressRuleConfig
        {
            SecurityGroupId = SageMakerSecurityGroup.Id, IpProtocol = "-1", ReferencedSecurityGroupId = SageMakerSecurityGroup.Id,
            Description = "All traffic between SageMaker workloads in this group (distributed training, Studio apps, EFS)",
        });

        InterfaceEndpoints = props.InterfaceEndpoints.ToDictionary(service => service, service =>
            new VpcEndpoint(this, $"endpoint-{service.Replace('.', '-')}", new VpcEndpointConfig
            {
                VpcId = Vpc.Id,
                ServiceName = $"com.amazonaws.{context.Region}.{service}",
                VpcEndpointType = "Interface",
                PrivateDnsEnabled = true,
                SubnetIds = PrivateSubnetIds,
                SecurityGroupIds = [EndpointSecurityGroup.Id],
                Tags = Named($"{name}-{service}"),
            }));

        var flowLogs = new EncryptedLogGroup(this, "flow-log-group", new EncryptedLogGroupProps
        {
            LogGroupName = $"/{name.Replace('-', '/')}/vpc-flow-logs",
            EncryptionKey = props.LogsKey,
            RetentionInDays = props.FlowLogRetentionDays,
        });
        var flowLogRole = new ServiceRole(this, "flow-log-role", new ServiceRoleProps
        {
            RoleName = $"{name}-vpc-flow-logs",
            Service = "vpc-flow-logs.amazonaws.com",
            Description = $"Delivers {name} VPC flow logs to CloudWatch Logs",
            ScopeToSourceAccount = true,
        });
        flowLogRole.AddPolicy("deliver-flow-logs", Policy.Allow("WriteFlowLogs",
            ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], [$"{flowLogs.Arn}:*"]));
        new FlowLog(this, "flow-log", new FlowLogConfig
        {
            VpcId = Vpc.Id,
            TrafficType = "ALL",
            LogDestinationType = "cloud-watch-logs",
            LogDestination = flowLogs.Arn,
            IamRoleArn = flowLogRole.Arn,
            MaxAggregationInterval = 60,
            Tags = Named($"{name}-flow-logs"),
        });
    }

    private static Ipv4Cidr ParseCidr(string text)
    {
        if (!Ipv4Cidr.TryParse(text, out var cidr, out var reason))
            throw new ArgumentException($"NetworkProps.Cidr = \"{text}\": {reason}; use a network such as 10.10.0.0/16.");
        if (cidr.PrefixLength is < 16 or > 20)
            throw new ArgumentException($"NetworkProps.Cidr = \"{text}\": the subnet plan needs a /16 to /20 network.");
        return cidr;
    }

    private VpcEndpoint GatewayEndpoint(string service, string region, string[] routeTableIds, string name) =>
        new(this, $"endpoint-{service}", new VpcEndpointConfig
        {
            VpcId = Vpc.Id,
            ServiceName = $"com.amazonaws.{region}.{service}",
            VpcEndpointType = "Gateway",
            RouteTableIds = routeTableIds,
            Tags = Named($"{name}-{service}"),
        });

    private SecurityGroup Group(string id, string groupName, string description) =>
        new(this, $"{id}-security-group", new SecurityGroupConfig
        {
            Name = groupName,
            Description = description,
            VpcId = Vpc.Id,
            Tags = Named(groupName),
        });

    private void Ingress(SecurityGroup group, string id, int port, string fromGroupId, string description) =>
        new VpcSecurityGroupIngressRule(this, $"{group.Node.Id.Replace("-security-group", "")}-ingress-{id}", new VpcSecurityGroupIngressRuleConfig
        {
            SecurityGroupId = group.Id, IpProtocol = "tcp", FromPort = port, ToPort = port,
            ReferencedSecurityGroupId = fromGroupId, Description = description,
        });

    private void Egress(SecurityGroup group, string id, int port, VpcSecurityGroupEgressRuleConfig target, string description) =>
        new VpcSecurityGroupEgressRule(this, $"{group.Node.Id.Replace("-security-group", "")}-egress-{id}", new VpcSecurityGroupEgressRuleConfig
        {
            SecurityGroupId = group.Id, IpProtocol = "tcp", FromPort = port, ToPort = port,
            ReferencedSecurityGroupId = target.ReferencedSecurityGroupId, PrefixListId = target.PrefixListId, Description = description,
        });

    private static Dictionary<string, string> Named(string value, params (string Key, string Value)[] extra)
    {
        var tags = new Dictionary<string, string> { ["Name"] = value };
        foreach (var (k, v) in extra) tags[k] = v;
        return tags;
    }
}
