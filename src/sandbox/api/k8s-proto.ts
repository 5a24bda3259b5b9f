/**
 * The part of Kubernetes' generated.proto files (k8s.io/api core/v1 and apps/v1, k8s.io/apimachinery meta/v1,
 * runtime, intstr, resource) that the kinds `kubectl create <kind>` sends in protobuf need, with their real field
 * numbers. Fields left out are skipped on decode, as any protobuf reader skips unknown fields.
 *
 * Written in proto3 syntax for one reason: `optional` marks the fields Go declares as pointers (`*int32`,
 * `*bool`), whose zero is a value; gogo writes every other field even when zero, and JSON omits those zeros.
 */
export const K8S_PROTO = `
syntax = "proto3";
package k8s;

// k8s.io/apimachinery/pkg/runtime: the envelope after the "k8s\\0" magic.
message Unknown { TypeMeta typeMeta = 1; bytes raw = 2; string contentEncoding = 3; string contentType = 4; }
message TypeMeta { string apiVersion = 1; string kind = 2; }

// k8s.io/apimachinery/pkg/util/intstr and pkg/api/resource.
message IntOrString { int64 type = 1; int32 intVal = 2; string strVal = 3; }
message Quantity { string string = 1; }

// k8s.io/apimachinery/pkg/apis/meta/v1.
message Time { int64 seconds = 1; int32 nanos = 2; }
message ObjectMeta {
  string name = 1; string generateName = 2; string namespace = 3; string selfLink = 4; string uid = 5;
  string resourceVersion = 6; int64 generation = 7; Time creationTimestamp = 8; Time deletionTimestamp = 9;
  optional int64 deletionGracePeriodSeconds = 10; map<string, string> labels = 11; map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13; repeated string finalizers = 14;
}
message OwnerReference {
  string kind = 1; string name = 3; string uid = 4; string apiVersion = 5; optional bool controller = 6; optional bool blockOwnerDeletion = 7;
}
message LabelSelector { map<string, string> matchLabels = 1; repeated LabelSelectorRequirement matchExpressions = 2; }
message LabelSelectorRequirement { string key = 1; string operator = 2; repeated string values = 3; }

// k8s.io/api/core/v1.
message Namespace { ObjectMeta metadata = 1; NamespaceSpec spec = 2; }
message NamespaceSpec { repeated string finalizers = 1; }
message ConfigMap { ObjectMeta metadata = 1; map<string, string> data = 2; map<string, bytes> binaryData = 3; optional bool immutable = 4; }
message Secret { ObjectMeta metadata = 1; map<string, bytes> data = 2; string type = 3; map<string, string> stringData = 4; optional bool immutable = 5; }
message ServiceAccount {
  ObjectMeta metadata = 1; repeated ObjectReference secrets = 2; repeated LocalObjectReference imagePullSecrets = 3;
  optional bool automountServiceAccountToken = 4;
}
message ObjectReference { string kind = 1; string namespace = 2; string name = 3; string uid = 4; string apiVersion = 5; string resourceVersion = 6; string fieldPath = 7; }
message LocalObjectReference { string name = 1; }
message Service { ObjectMeta metadata = 1; ServiceSpec spec = 2; }
message ServiceSpec {
  repeated ServicePort ports = 1; map<string, string> selector = 2; string clusterIP = 3; string type = 4;
  repeated string externalIPs = 5; string sessionAffinity = 7; string loadBalancerIP = 8; repeated string loadBalancerSourceRanges = 9;
  string externalName = 10; string externalTrafficPolicy = 11; int32 healthCheckNodePort = 12; bool publishNotReadyAddresses = 13;
  optional string ipFamilyPolicy = 17; repeated string clusterIPs = 18; repeated string ipFamilies = 19;
  optional bool allocateLoadBalancerNodePorts = 20; optional string loadBalancerClass = 21; optional string internalTrafficPolicy = 22;
}
message ServicePort { string name = 1; string protocol = 2; int32 port = 3; IntOrString targetPort = 4; int32 nodePort = 5; optional string appProtocol = 6; }
message ResourceQuota { ObjectMeta metadata = 1; ResourceQuotaSpec spec = 2; }
message ResourceQuotaSpec { map<string, Quantity> hard = 1; repeated string scopes = 2; ScopeSelector scopeSelector = 3; }
message ScopeSelector { repeated ScopedResourceSelectorRequirement matchExpressions = 1; }
message ScopedResourceSelectorRequirement { string scopeName = 1; string operator = 2; repeated string values = 3; }
message PodTemplateSpec { ObjectMeta metadata = 1; PodSpec spec = 2; }
message PodSpec {
  repeated Container containers = 2; string restartPolicy = 3; optional int64 terminationGracePeriodSeconds = 4;
  optional int64 activeDeadlineSeconds = 5; string dnsPolicy = 6; map<string, string> nodeSelector = 7; string serviceAccountName = 8;
  string serviceAccount = 9; string nodeName = 10; bool hostNetwork = 11; repeated LocalObjectReference imagePullSecrets = 15;
  string hostname = 16; string subdomain = 17; string schedulerName = 19; repeated Container initContainers = 20;
  optional bool automountServiceAccountToken = 21; string priorityClassName = 24; optional int32 priority = 25;
  optional string runtimeClassName = 29; optional bool enableServiceLinks = 30;
}
message Container {
  string name = 1; string image = 2; repeated string command = 3; repeated string args = 4; string workingDir = 5;
  repeated ContainerPort ports = 6; repeated EnvVar env = 7; ResourceRequirements resources = 8;
  string terminationMessagePath = 13; string imagePullPolicy = 14; bool stdin = 16; bool stdinOnce = 17; bool tty = 18;
  string terminationMessagePolicy = 20; optional string restartPolicy = 24;
}
message ContainerPort { string name = 1; int32 hostPort = 2; int32 containerPort = 3; string protocol = 4; string hostIP = 5; }
message EnvVar { string name = 1; string value = 2; }
message ResourceRequirements { map<string, Quantity> limits = 1; map<string, Quantity> requests = 2; }

// k8s.io/api/apps/v1.
// The status (3) is the server's: a create resets it.
message Deployment { ObjectMeta metadata = 1; DeploymentSpec spec = 2; }
message DeploymentSpec {
  optional int32 replicas = 1; LabelSelector selector = 2; PodTemplateSpec template = 3; DeploymentStrategy strategy = 4;
  int32 minReadySeconds = 5; optional int32 revisionHistoryLimit = 6; bool paused = 7; optional int32 progressDeadlineSeconds = 9;
}
message DeploymentStrategy { string type = 1; RollingUpdateDeployment rollingUpdate = 2; }
message RollingUpdateDeployment { IntOrString maxUnavailable = 1; IntOrString maxSurge = 2; }
`;

/** apiVersion and kind → the message that encodes it: the kinds the sandbox serves and `kubectl create` sends in protobuf. */
export const PROTO_KINDS: Readonly<Record<string, string>> = {
  'v1/Namespace': 'k8s.Namespace',
  'v1/ConfigMap': 'k8s.ConfigMap',
  'v1/Secret': 'k8s.Secret',
  'v1/ServiceAccount': 'k8s.ServiceAccount',
  'v1/Service': 'k8s.Service',
  'v1/ResourceQuota': 'k8s.ResourceQuota',
  'apps/v1/Deployment': 'k8s.Deployment',
};
