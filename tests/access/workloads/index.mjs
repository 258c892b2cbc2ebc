// Every workload whose access the simulation proves, in report order.
import * as auditTrail from './audit-trail.mjs'
import * as ciRoles from './ci-roles.mjs'
import * as featureStore from './feature-store.mjs'
import * as flowLogs from './flow-logs.mjs'
import * as glue from './glue.mjs'
import * as invokers from './invokers.mjs'
import * as isolation from './isolation.mjs'
import * as lambdaFunctions from './lambda-functions.mjs'
import * as promotion from './promotion.mjs'
import * as sagemakerHosting from './sagemaker-hosting.mjs'
import * as stateMachine from './state-machine.mjs'
import * as trainingJob from './training-job.mjs'
import * as trust from './trust.mjs'

export const WORKLOADS = [trainingJob, stateMachine, lambdaFunctions, glue, sagemakerHosting, featureStore, flowLogs, invokers, promotion, ciRoles, auditTrail, trust, isolation]
