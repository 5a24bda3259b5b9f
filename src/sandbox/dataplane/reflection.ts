/**
 * gRPC server reflection (v1 and v1alpha) for the inference service, answered by @grpc/reflection's
 * implementation on the ingress's own gRPC wire. The reflection messages are declared here rather than loaded
 * from @grpc/reflection's .proto files, whose paths do not survive bundling.
 */
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionV1Implementation } from '@grpc/reflection/build/src/implementations/reflection-v1.js';
import type { GrpcMethods, MethodDefinition, StreamCall } from './grpc-wire.js';

const string = (id: number) => ({ type: 'string', id });

/** grpc.reflection.v1 and v1alpha share every message; only the package differs. */
function reflectionPackage() {
  return {
    nested: {
      ServerReflection: {
        methods: {
          ServerReflectionInfo: {
            requestType: 'ServerReflectionRequest',
            requestStream: true,
            responseType: 'ServerReflectionResponse',
            responseStream: true,
          },
        },
      },
      ServerReflectionRequest: {
        oneofs: {
          messageRequest: {
            oneof: ['fileByFilename', 'fileContainingSymbol', 'fileContainingExtension', 'allExtensionNumbersOfType', 'listServices'],
          },
        },
        fields: {
          host: string(1),
          fileByFilename: string(3),
          fileContainingSymbol: string(4),
          fileContainingExtension: { type: 'ExtensionRequest', id: 5 },
          allExtensionNumbersOfType: string(6),
          listServices: string(7),
        },
      },
      ExtensionRequest: { fields: { containingType: string(1), extensionNumber: { type: 'int32', id: 2 } } },
      ServerReflectionResponse: {
        oneofs: {
          messageResponse: {
            oneof: ['fileDescriptorResponse', 'allExtensionNumbersResponse', 'listServicesResponse', 'errorResponse'],
          },
        },
        fields: {
          validHost: string(1),
          originalRequest: { type: 'ServerReflectionRequest', id: 2 },
          fileDescriptorResponse: { type: 'FileDescriptorResponse', id: 4 },
          allExtensionNumbersResponse: { type: 'ExtensionNumberResponse', id: 5 },
          listServicesResponse: { type: 'ListServiceResponse', id: 6 },
          errorResponse: { type: 'ErrorResponse', id: 7 },
        },
      },
      FileDescriptorResponse: { fields: { fileDescriptorProto: { rule: 'repeated', type: 'bytes', id: 1 } } },
      ExtensionNumberResponse: {
        fields: { baseTypeName: string(1), extensionNumber: { rule: 'repeated', type: 'int32', id: 2 } },
      },
      ListServiceResponse: { fields: { service: { rule: 'repeated', type: 'ServiceResponse', id: 1 } } },
      ServiceResponse: { fields: { name: string(1) } },
      ErrorResponse: { fields: { errorCode: { type: 'int32', id: 1 }, errorMessage: string(2) } },
    },
  };
}

/** Registers ServerReflectionInfo (v1 and v1alpha) describing the services of `served`. */
export function addReflection(methods: GrpcMethods, served: protoLoader.PackageDefinition): void {
  const implementation = new ReflectionV1Implementation(served);
  const definition = protoLoader.fromJSON(
    { nested: { grpc: { nested: { reflection: { nested: { v1: reflectionPackage(), v1alpha: reflectionPackage() } } } } } } as unknown as Parameters<
      typeof protoLoader.fromJSON
    >[0],
    // The options @grpc/reflection's implementation expects its messages in.
    { longs: String, enums: String, bytes: Array, defaults: true, oneofs: true },
  );
  const handler = (call: StreamCall): void => {
    call.on('data', (request: Parameters<ReflectionV1Implementation['handleServerReflectionRequest']>[0]) => {
      call.write(implementation.handleServerReflectionRequest(request));
    });
    call.on('end', () => call.end());
  };
  for (const version of ['v1', 'v1alpha']) {
    const service = definition[`grpc.reflection.${version}.ServerReflection`] as unknown as Record<string, MethodDefinition>;
    methods.addService(service, { ServerReflectionInfo: handler });
  }
}
