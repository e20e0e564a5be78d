// What every emulated service gives the router: its protocol, how a request maps to an operation, and the
// throttling / server errors the fault injector raises in that service's own words.

import type { AwsError, Protocol, SandboxRequest, SandboxResponse } from './protocols.js';
import type { World } from '../world.js';

/** A request matched to one operation; `run` performs it against the world. */
export interface RoutedOperation {
  operation: string;
  run(): SandboxResponse | Promise<SandboxResponse>;
}

export interface ServiceDefinition {
  /** The SigV4 signing name: lambda, iam, sts, kafka, secretsmanager. */
  name: string;
  protocol: Protocol;
  /** Query protocol XML namespace (unused by JSON protocols). */
  xmlNamespace: string;
  /** rest-json: the body key holding an error's message (Lambda varies by error shape). */
  messageKey?(code: string): string;
  /** Map a request to an operation; undefined when the service has no such operation. */
  route(req: SandboxRequest, world: World): RoutedOperation | undefined;
  throttled(operation: string): AwsError;
  serverError(operation: string): AwsError;
  unknownOperation(req: SandboxRequest): AwsError;
}
