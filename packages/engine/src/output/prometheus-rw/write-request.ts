/**
 * Prometheus remote-write 1.0 request body: a `prometheus.WriteRequest` protobuf (time series of
 * labels and samples), snappy-compressed in block format. protobufjs builds the message type
 * from its JSON description (no .proto file or code generation); snappyjs is pure JavaScript,
 * so neither needs a native build.
 */
import protobuf from 'protobufjs';
import { compress, uncompress } from 'snappyjs';

export interface PromSeries {
  /** Sorted by name, `__name__` included. */
  labels: Array<{ name: string; value: string }>;
  samples: Array<{ value: number; timestamp: number }>;
}

const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } } },
        TimeSeries: { fields: { labels: { rule: 'repeated', type: 'Label', id: 1 }, samples: { rule: 'repeated', type: 'Sample', id: 2 } } },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
      },
    },
  },
});
const WriteRequest = root.lookupType('prometheus.WriteRequest');

export function encodeWriteRequest(timeseries: readonly PromSeries[]): Uint8Array {
  const message = WriteRequest.fromObject({ timeseries });
  return compress(WriteRequest.encode(message).finish());
}

/** The reverse, for tests: what a receiver would decode. */
export function decodeWriteRequest(body: Uint8Array): PromSeries[] {
  const message = WriteRequest.decode(uncompress(body));
  const obj = WriteRequest.toObject(message, { longs: Number, defaults: true }) as { timeseries: PromSeries[] };
  return obj.timeseries;
}
