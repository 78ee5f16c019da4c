import { whileEnabled } from './plugin-telemetry';

describe('whileEnabled', () => {
  it('calls the instrumented function while enabled and the original otherwise, with the same this and arguments', () => {
    const state = { enabled: true };
    const calls: string[] = [];
    const original = function (this: { name: string }, a: number) {
      calls.push(`original ${this.name} ${a}`);
      return 'original';
    };
    const instrumented = function (this: { name: string }, a: number) {
      calls.push(`instrumented ${this.name} ${a}`);
      return 'instrumented';
    };
    const target = { name: 'producer', send: whileEnabled({ enabled: () => state.enabled }, original, instrumented) };
    expect(target.send(1)).toBe('instrumented');
    state.enabled = false;
    expect(target.send(2)).toBe('original');
    expect(calls).toEqual(['instrumented producer 1', 'original producer 2']);
  });
});
