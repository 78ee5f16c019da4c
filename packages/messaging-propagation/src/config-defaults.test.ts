import { withConfigDefaults } from './config-defaults';

describe('withConfigDefaults', () => {
  interface Options {
    captureMessageKey?: boolean | undefined;
    captureBodySize?: boolean | undefined;
    enabled?: boolean;
  }
  const defaults = Object.freeze({ captureMessageKey: true, captureBodySize: false });

  it('fills in what the config leaves out, and keeps what it gives', () => {
    expect(withConfigDefaults<Options, typeof defaults>(defaults, { captureBodySize: true, enabled: false })).toEqual({
      captureMessageKey: true,
      captureBodySize: true,
      enabled: false,
    });
  });

  it('keeps the default of a field given as undefined (env parsing gives those)', () => {
    expect(withConfigDefaults<Options, typeof defaults>(defaults, { captureMessageKey: undefined })).toEqual(defaults);
  });

  it('takes no config at all, and never returns the frozen defaults themselves', () => {
    const merged = withConfigDefaults<Options, typeof defaults>(defaults, undefined);
    expect(merged).toEqual(defaults);
    expect(merged).not.toBe(defaults);
  });
});
