import * as publicEntry from './index';
import * as internalEntry from './internal';

// The machinery only the plugins use lives behind `./internal`, so that
// applications importing the main entry get a small surface that changes only
// with a changeset saying so.
const PLUGIN_MACHINERY = [
  'AggregatingCounter',
  'endOperation',
  'getMessagingMetrics',
  'markOtelMqWrapper',
  'messagingAttributes',
  'MessagingInstrumentation',
  'runUserHook',
  'RunningOperation',
  'safeExecute',
  'SchemaScope',
  'trackOpenSpan',
  'whileEnabled',
];

describe('entries', () => {
  it('keeps the plugin machinery out of the main entry and in the internal one', () => {
    for (const name of PLUGIN_MACHINERY) {
      expect(`${name} public: ${name in publicEntry}`).toBe(`${name} public: false`);
      expect(`${name} internal: ${name in internalEntry}`).toBe(`${name} internal: true`);
    }
  });

  it('exports no name from both entries', () => {
    const both = Object.keys(publicEntry).filter((name) => name in internalEntry);
    expect(both).toEqual([]);
  });

  it('keeps the main entry to names, carriers, context and policy', () => {
    const functions = Object.entries(publicEntry)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name);
    expect(functions.length).toBeLessThanOrEqual(35);
  });
});
