// The bootstrap stacks' CI roles: who may assume them (GitHub's OIDC token, subject customised to repo, context,
// ref and workflow), and what each can do in its account. The plan role reads configuration, never data, and
// writes only the lock; the apply role changes the environment but not the CI roles themselves
// (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect).
import { allowed, bootstrapStacks, refused } from '../lib/cases.mjs'

/** The subjects a trust policy accepts, and a concrete subject for each (wildcards filled as GitHub would). */
function subjects(role) {
  const out = []
  for (const st of role.trust.Statement) {
    for (const [test, keys] of Object.entries(st.Condition ?? {})) {
      for (const [key, values] of Object.entries(keys)) {
        if (!key.endsWith(':sub')) continue
        for (const v of values) out.push({ key, pattern: v, test, concrete: v.replace('*', 'ref:refs/pull/7/merge:job_workflow_ref:WORKFLOW@refs/pull/7/merge') })
      }
    }
  }
  if (out.length === 0) throw new Error(`${role.name}: its trust policy names no token subject`)
  return out
}

const token = (role, sub, aud = 'sts.amazonaws.com') => {
  const provider = role.trust.Statement[0].Principal.Federated[0]
  const host = provider.split('oidc-provider/')[1]
  return { principal: provider, action: 'sts:AssumeRoleWithWebIdentity', context: { [`${host}:sub`]: sub, [`${host}:aud`]: aud } }
}

export function cases(stacks) {
  const out = []
  for (const boot of bootstrapStacks(stacks)) {
    const env = [...stacks.values()].find((s) => s !== boot && s.account === boot.account && s.resources('aws_sfn_state_machine').length > 0)
    const otherBoot = bootstrapStacks(stacks).find((s) => s.account !== boot.account)
    const plan = boot.roles().find((r) => r.name.endsWith('-plan'))
    const apply = boot.roles().find((r) => r.name.endsWith('-apply'))
    const stateBucket = boot.buckets().find((b) => b.id.startsWith('state-bucket'))
    const backend = (stack) => stack.json.terraform.backend.s3
    const stateObject = `arn:aws:s3:::${backend(env).bucket}/${backend(env).key}`
    if (backend(env).bucket !== stateBucket.name) throw new Error(`${env.name} keeps its state in ${backend(env).bucket}, not in ${boot.name}'s ${stateBucket.name}`)
    const stateKey = boot.keys().find((k) => k.id.startsWith('state-key')).arn
    const lockTable = boot.resources('aws_dynamodb_table').map(({ id }) => boot.attribute('aws_dynamodb_table', id, 'arn'))[0]
    const otherEnv = [...stacks.values()].find((s) => s.account === otherBoot.account && s.json.terraform?.backend?.s3)
    const otherState = `arn:aws:s3:::${backend(otherEnv).bucket}/${backend(otherEnv).key}`
    const lockAndState = [
      { action: 's3:GetObject', resource: stateObject },
      { action: 's3:PutObject', resource: `${stateObject}.tflock`, context: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      { action: 's3:DeleteObject', resource: `${stateObject}.tflock` },
      { action: 'dynamodb:GetItem', resource: lockTable },
      { action: 'dynamodb:PutItem', resource: lockTable },
      { action: 'kms:Decrypt', resource: stateKey, context: { 'kms:ViaService': `s3.${boot.region}.amazonaws.com` } },
      { action: 'kms:GenerateDataKey', resource: stateKey, context: { 'kms:ViaService': `s3.${boot.region}.amazonaws.com` } },
    ]
    const data = env.buckets().find((b) => b.id.startsWith('data-bucket'))
    const dataKey = env.keys().find((k) => k.id.startsWith('data-key')).arn
    const envRole = env.roles().find((r) => r.name.endsWith('-sagemaker-execution'))
    const glueScript = env.resources('aws_s3_object').map(({ body }) => env.resolveDeep(body)).find((o) => o.key.startsWith('glue/'))
    const reads = [
      { action: 'ec2:DescribeVpcs', resource: '*' },
      { action: 's3:GetBucketPolicy', resource: data.arn },
      { action: 'iam:GetRole', resource: envRole.arn },
      { action: 'kms:DescribeKey', resource: dataKey },
      { action: 'states:DescribeStateMachine', resource: env.attribute('aws_sfn_state_machine', env.resources('aws_sfn_state_machine')[0].id, 'arn') },
      ...(glueScript ? [{ action: 's3:GetObject', resource: `arn:aws:s3:::${glueScript.bucket}/${glueScript.key}`, note: 'the managed Glue script (Terraform compares it)' }] : []),
    ]
    // The site's invalidation runs as the applying identity (a local-exec of the AWS CLI), never in a plan.
    const invalidation = env.resources('aws_cloudfront_distribution').length > 0
      ? [{ action: 'cloudfront:CreateInvalidation', resource: `arn:aws:cloudfront::${env.account}:distribution/EDFDVBD6EXAMPLE`, note: "the site's cache invalidation" }]
      : []
    const source = `${boot.name} CI roles`
    out.push(...allowed(plan, 'CI plan', source, [...lockAndState, ...reads]))
    out.push(...refused(plan, 'CI plan', source, [
      { action: 's3:PutObject', resource: stateObject, context: { 's3:x-amz-server-side-encryption': 'aws:kms' }, note: 'write the state' },
      { action: 's3:GetObject', resource: `${data.arn}/raw/customers.csv`, note: 'read training data' },
      { action: 'kms:Decrypt', resource: dataKey, note: 'decrypt data' },
      { action: 'logs:GetLogEvents', resource: `arn:aws:logs:${env.region}:${env.account}:log-group:/aws/lambda/mlopstf-${env.environment}-data-validation:log-stream:x`, note: 'read logs' },
      { action: 'states:GetExecutionHistory', resource: `arn:aws:states:${env.region}:${env.account}:execution:mlopstf-${env.environment}-training-pipeline:run-1`, note: 'read execution data' },
      { action: 'ec2:CreateVpc', resource: `arn:aws:ec2:${env.region}:${env.account}:vpc/vpc-0123456789abcdef0`, note: 'create anything' },
      { action: 'iam:CreateRole', resource: `arn:aws:iam::${env.account}:role/mlopstf-${env.environment}-x`, note: 'create a role' },
      { action: 's3:GetObject', resource: otherState, note: `read ${otherBoot.environment}'s state (another account)` },
      ...invalidation.map((c) => ({ ...c, note: `${c.note} (only an apply runs it)` })),
    ]))
    out.push(...allowed(apply, 'CI apply', source, [
      ...lockAndState,
      { action: 's3:PutObject', resource: stateObject, context: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      { action: 'ec2:CreateVpc', resource: `arn:aws:ec2:${env.region}:${env.account}:vpc/vpc-0123456789abcdef0` },
      { action: 's3:PutBucketPolicy', resource: data.arn },
      { action: 'iam:CreateRole', resource: `arn:aws:iam::${env.account}:role/mlopstf-${env.environment}-new-workload` },
      { action: 'iam:AttachRolePolicy', resource: envRole.arn, context: { 'iam:PolicyARN': `arn:aws:iam::${env.account}:policy/mlopstf-${env.environment}-sagemaker-vpc-only` } },
      { action: 'iam:PassRole', resource: envRole.arn, context: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      ...invalidation,
    ]))
    out.push(...refused(apply, 'CI apply', source, [
      { action: 'iam:CreateRole', resource: `arn:aws:iam::${env.account}:role/admin-backdoor`, note: 'a role outside the project' },
      { action: 'iam:CreateUser', resource: `arn:aws:iam::${env.account}:user/ci`, note: 'a user' },
      { action: 'iam:AttachRolePolicy', resource: envRole.arn, context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' }, note: 'make a project role an administrator' },
      { action: 'iam:UpdateAssumeRolePolicy', resource: apply.arn, note: 'let other tokens assume the apply role' },
      { action: 'iam:PutRolePolicy', resource: plan.arn, note: 'widen the plan role' },
      { action: 'iam:PassRole', resource: envRole.arn, context: { 'iam:PassedToService': 'ec2.amazonaws.com' }, note: 'pass a project role to EC2' },
      { action: 's3:PutObject', resource: otherState, context: { 's3:x-amz-server-side-encryption': 'aws:kms' }, note: `write ${otherBoot.environment}'s state (another account)` },
    ]))

    const repo = subjects(apply)[0].pattern.match(/^repo:([^:]+):/)[1]
    const pr = `repo:${repo}:pull_request:ref:refs/pull/7/merge:job_workflow_ref:${repo}/.github/workflows/pr.yml@refs/pull/7/merge`
    for (const [role, label] of [[plan, 'CI plan'], [apply, 'CI apply']]) {
      const ok = subjects(role).map((s) => ({ trust: { ...token(role, s.concrete.replace('WORKFLOW', `${repo}/.github/workflows/pr.yml`)), label: s.concrete } }))
      out.push(...allowed(role, label, `${boot.name} trust`, ok))
    }
    const applySub = subjects(apply)[0].pattern
    out.push(...refused(apply, 'CI apply', `${boot.name} trust`, [
      { trust: { ...token(apply, pr), label: 'a pull-request token' } },
      { trust: { ...token(apply, subjects(plan)[0].concrete.replace('WORKFLOW', `${repo}/.github/workflows/pr.yml`)), label: 'a plan-environment token' } },
      { trust: { ...token(apply, applySub.replace(/refs\/heads\/main/g, 'refs/heads/feature')), label: 'the deploy workflow on a feature branch' } },
      { trust: { ...token(apply, applySub.replace(`repo:${repo}:`, `repo:${repo}-fork:`)), label: 'a fork' } },
      { trust: { ...token(apply, applySub, 'sigstore'), label: 'another audience' } },
    ]))
    out.push(...refused(plan, 'CI plan', `${boot.name} trust`, [
      { trust: { ...token(plan, pr), label: 'a pull-request token without the plan environment' } },
      { trust: { ...token(plan, pr.replace(':pull_request:', `:environment:${boot.environment}:`)), label: `the ${boot.environment} deploy environment` } },
    ]))
  }
  return out
}
