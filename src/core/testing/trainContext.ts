/**
 * Test helper (never imported by the app): a TrainContext for callback unit tests: no model or optimizer unless given, and every
 * emitted event collected in `events` for assertions.
 */
import type { TrainContext, TrainEvent } from '../callbacks/types';

export function testContext(over: Partial<TrainContext> = {}): TrainContext & { events: TrainEvent[] } {
  const events: TrainEvent[] = [];
  return {
    model: null as never,
    optimizer: null as never,
    epochs: 10,
    batchesPerEpoch: 10,
    stopTraining: false,
    emit: (e) => events.push(e),
    events,
    ...over,
  };
}
