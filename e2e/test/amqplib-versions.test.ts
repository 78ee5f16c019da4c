// amqplib 0.10 and 1.x (npm aliases `amqplib-0.10`, `amqplib-1`, installed under
// node_modules/amqplib/ where require-in-the-middle matches them), through the
// same scenarios as amqplib 2.x in amqplib.test.ts, CommonJS and ESM.
import { after, before, describe, it } from 'node:test';
import {
  checkCallbackApi,
  checkConfirmClose,
  checkConfirms,
  checkFanout,
  checkHandlers,
  runAmqplibScenario,
} from '../src/amqplib-checks.ts';
import type { CallbackApiRun, ConfirmClose, Confirms, Fanout, Handlers } from '../src/amqplib-checks.ts';
import { brokersFromEnv } from '../src/environment.ts';
import type { ModuleSystem } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver } from '../src/otlp/receiver.ts';

const brokers = brokersFromEnv();
const rabbitPort = Number(new URL(brokers.rabbitmqUrl).port);

for (const version of ['amqplib-0.10', 'amqplib-1']) {
  describe(version, () => {
    let receiver: OtlpReceiver;
    before(async () => {
      receiver = await startOtlpReceiver();
    });
    after(async () => {
      await receiver.close();
    });
    const run = <T>(scenario: string, system: ModuleSystem = 'cjs', env: Record<string, string> = {}) =>
      runAmqplibScenario<T>(receiver, brokers.rabbitmqUrl, scenario, system, {
        E2E_AMQPLIB_MODULE: version,
        OTEL_MQ_AMQPLIB_SETTLE_SPANS: 'true',
        ...env,
      });

    for (const system of ['cjs', 'esm'] as ModuleSystem[]) {
      it(`topic fan-out: one trace, each process span a child of the publish span (${system})`, async () => {
        checkFanout(await run<Fanout>('fanout', system), rabbitPort);
      });
    }

    it('confirm channel: ack ends the span, a broker nack is an error span', async () => {
      checkConfirms(await run<Confirms>('confirms'));
    });

    it('confirm channel lost with unconfirmed publishes: waitForConfirms rejects as without the plugin', async () => {
      const bare = await run<ConfirmClose>('confirmClose', 'cjs', { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'amqplib' });
      checkConfirmClose(await run<ConfirmClose>('confirmClose'), bare);
    });

    it('async, rejecting and throwing handlers', async () => {
      checkHandlers(await run<Handlers>('handlers'));
    });

    it('the callback API: confirm publish, get and consume', async () => {
      checkCallbackApi(await run<CallbackApiRun>('callbackApi'));
    });
  });
}
