/** `apps/v1` kinds (io.k8s.api.apps.v1): Deployment and StatefulSet, with the defaults their registry sets. */
import type { Schema } from '../store/schema.js';
import { APPS, CORE, INT_OR_STRING, META, bool, int32, oneOf, open, ref, str, struct } from './dsl.js';
import { kind } from './core-v1.js';

const SELECTOR = ref(`${META}LabelSelector`, "Label query over pods that should match the template's labels. Cannot be changed once set.");
const TEMPLATE = ref(`${CORE}PodTemplateSpec`, 'The pods to create; the only allowed restartPolicy is Always.', true);
const replicas = (what: string): Schema => int32(`Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.${what}`);

export const APPS_DEFINITIONS: Record<string, Schema> = {
  [`${APPS}Deployment`]: kind('Declarative updates for Pods and ReplicaSets.', {
    spec: ref(`${APPS}DeploymentSpec`, 'The desired behaviour of the Deployment.', true),
    status: ref(`${APPS}DeploymentStatus`, 'The most recently observed status of the Deployment.', true),
  }),
  [`${APPS}DeploymentSpec`]: struct(
    'The desired behaviour of a Deployment.',
    {
      minReadySeconds: int32('Seconds a new pod must be ready, without crashing, to count as available. Defaults to 0.'),
      paused: bool('Indicates that the deployment is paused.'),
      // The defaults the Deployment registry sets (Go defaulters), so a stored Deployment reads as on a cluster.
      progressDeadlineSeconds: int32('Seconds the deployment may take to progress before it is considered failed. Defaults to 600.', { default: 600 }),
      replicas: { ...replicas(''), default: 1 },
      revisionHistoryLimit: int32('The number of old ReplicaSets to keep for rollback. Defaults to 10.', { default: 10 }),
      selector: SELECTOR,
      strategy: ref(`${APPS}DeploymentStrategy`, 'How existing pods are replaced with new ones.', true),
      template: TEMPLATE,
    },
    ['selector', 'template'],
  ),
  [`${APPS}DeploymentStrategy`]: struct('How existing pods are replaced with new ones.', {
    rollingUpdate: ref(`${APPS}RollingUpdateDeployment`, 'Rolling update config; present only when type is RollingUpdate.'),
    type: oneOf('Recreate or RollingUpdate. Defaults to RollingUpdate.', ['Recreate', 'RollingUpdate']),
  }),
  [`${APPS}RollingUpdateDeployment`]: struct('The parameters of a rolling update.', {
    maxSurge: ref(INT_OR_STRING, 'How many pods may be scheduled above the desired number, as a number or a percentage. Defaults to 25%.'),
    maxUnavailable: ref(INT_OR_STRING, 'How many pods may be unavailable during the update, as a number or a percentage. Defaults to 25%.'),
  }),
  [`${APPS}DeploymentStatus`]: open('The most recently observed status of a Deployment.', {
    availableReplicas: int32('Pods available (ready for at least minReadySeconds).'),
    observedGeneration: { type: 'integer', format: 'int64', description: 'The generation observed by the deployment controller.' },
    readyReplicas: int32('Pods with a Ready condition.'),
    replicas: int32('Non-terminated pods targeted by this deployment.'),
    updatedReplicas: int32('Pods that have the desired template.'),
  }),
  [`${APPS}StatefulSet`]: kind('A set of pods with consistent identities: stable names and storage.', {
    spec: ref(`${APPS}StatefulSetSpec`, 'The desired identities of pods in this set.', true),
    status: ref(`${APPS}StatefulSetStatus`, 'The current status of the pods in this set.', true),
  }),
  [`${APPS}StatefulSetSpec`]: struct(
    'The desired state of a StatefulSet.',
    {
      minReadySeconds: int32('Seconds a new pod must be ready to count as available. Defaults to 0.'),
      persistentVolumeClaimRetentionPolicy: open('What happens to claims when the set is deleted or scaled down.'),
      podManagementPolicy: oneOf('OrderedReady (default) or Parallel.', ['OrderedReady', 'Parallel']),
      replicas: replicas(''),
      revisionHistoryLimit: int32('The number of revisions kept in history. Defaults to 10.'),
      selector: SELECTOR,
      serviceName: str('The governing Service, which must exist before the set; pods get DNS names from it.'),
      template: TEMPLATE,
      updateStrategy: open('How pods are updated when the template changes.', { type: oneOf('RollingUpdate or OnDelete.', ['OnDelete', 'RollingUpdate']) }),
      volumeClaimTemplates: { type: 'array', description: 'Claims pods may reference; each pod gets its own.', items: open('A PersistentVolumeClaim template.'), 'x-kubernetes-list-type': 'atomic' },
    },
    ['selector', 'template'],
  ),
  [`${APPS}StatefulSetStatus`]: open('The current state of a StatefulSet.', {
    availableReplicas: int32('Pods available (ready for at least minReadySeconds).'),
    currentReplicas: int32('Pods created at the current revision.'),
    readyReplicas: int32('Pods with a Ready condition.'),
    replicas: int32('Pods created by the controller.'),
    updatedReplicas: int32('Pods created at the update revision.'),
  }),
};
