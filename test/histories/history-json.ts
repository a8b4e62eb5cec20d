/**
 * History <-> Temporal's proto JSON, as the SDK's `historyToJSON` / `historyFromJSON` do.
 *
 * Why not those: in this install @temporalio/common and @temporalio/proto each have their own copy
 * of protobufjs 8 (the top-level one is 7, for @grpc/proto-loader and OpenTelemetry), and
 * protobufjs's protojson refuses a type from another copy ("type must be a Type"), so both SDK
 * functions throw. Here protojson comes from the copy @temporalio/proto itself loads, which is the
 * one its types were built with; when npm dedupes the copies this resolves to the same module.
 */
import { dirname } from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

interface ReflectedType {
  readonly fullName: string;
}
interface ProtoJson {
  toJson(type: ReflectedType, message: unknown): unknown;
  fromJson(type: ReflectedType, json: unknown, options: { ignoreUnknownFields: boolean }): unknown;
}
interface ReflectionRoot {
  lookupType(name: string): ReflectedType;
}

// A plain require (not createRequire) so that under jest it goes through jest's module registry too,
// and meets the same protobufjs instance as @temporalio/proto there.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a path resolved at run time, see above
const protojson = require(require.resolve('protobufjs/ext/protojson', { paths: [dirname(require.resolve('@temporalio/proto'))] })) as ProtoJson;
const root = patchProtobufRoot(proto as unknown as Record<string, unknown>) as unknown as ReflectionRoot;
const historyType = root.lookupType('temporal.api.history.v1.History');
const History = proto.temporal.api.history.v1.History;

export function historyToJson(history: proto.temporal.api.history.v1.IHistory): unknown {
  return protojson.toJson(historyType, History.fromObject(history));
}

/** Fields a newer server or SDK added are ignored, as the SDK's own parser does. */
export function historyFromJson(json: unknown): proto.temporal.api.history.v1.History {
  const loaded = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (!loaded) throw new TypeError('not a workflow history');
  return loaded as proto.temporal.api.history.v1.History;
}
