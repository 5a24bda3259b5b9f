/** The in-memory topics: bounded per topic, read by prefix and namespace, from an offset or from the tail. */
import { describe, expect, it } from 'vitest';
import { MemoryTopicLog } from '../../../src/sandbox/dataplane/pipelines/topic-log.js';

describe('topic log', () => {
  it('keeps only the latest messages of each topic, with their offsets', () => {
    const log = new MemoryTopicLog(100);
    for (let i = 0; i < 150; i++) log.append('seldon.ns.model.a.inputs', `k${i}`, () => ({ i }));
    const all = log.read('ns', 'seldon.ns.model.a', 0, 1000);
    expect(all).toHaveLength(100);
    expect(all[0]).toMatchObject({ offset: 50, key: 'k50', json: { i: 50 } });
    expect(all[99]).toMatchObject({ offset: 149, key: 'k149' });
    expect(log.read('ns', 'seldon.ns.model.a', 140, 1000).map((m) => m.offset)).toEqual([140, 141, 142, 143, 144, 145, 146, 147, 148, 149]);
    expect(log.read('ns', 'seldon.ns.model.a', -2, 1000).map((m) => m.key)).toEqual(['k148', 'k149']);
  });

  it('reads topics in name order within one namespace, up to a limit, building each message when read', () => {
    const log = new MemoryTopicLog();
    let built = 0;
    log.append('seldon.ns.model.b.outputs', 'x', () => ({ built: ++built }));
    log.append('seldon.ns.model.a.inputs', 'x', () => ({ built: ++built }));
    log.append('seldon.other.model.a.inputs', 'x', () => ({}));
    expect(built).toBe(0);
    expect(log.read('ns', 'seldon.ns.', 0, 10).map((m) => m.topic)).toEqual(['seldon.ns.model.a.inputs', 'seldon.ns.model.b.outputs']);
    expect(log.read('ns', 'seldon.ns.', 0, 1)).toHaveLength(1);
    expect(log.read('ns', 'seldon.other.', 0, 10)).toEqual([]);
    const [first] = log.read('ns', 'seldon.ns.model.a', 0, 1);
    expect([first?.json, first?.json]).toEqual([{ built: 1 }, { built: 1 }]);
  });
});
