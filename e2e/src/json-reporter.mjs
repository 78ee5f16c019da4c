// node:test reporter that writes the run's totals as JSON (jest's field names),
// for scripts/summarize-tests.mjs. Suites are not counted as tests.
export default async function* jsonReporter(source) {
  const totals = {
    numPassedTests: 0,
    numFailedTests: 0,
    numPendingTests: 0,
    numTodoTests: 0,
    numRuntimeErrorTestSuites: 0,
  };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { details, skip, todo } = event.data;
    if (details?.type === 'suite') {
      if (event.type === 'test:fail' && details.error?.failureType !== 'subtestsFailed')
        totals.numRuntimeErrorTestSuites++;
      continue;
    }
    if (skip) totals.numPendingTests++;
    else if (todo) totals.numTodoTests++;
    else if (event.type === 'test:pass') totals.numPassedTests++;
    else totals.numFailedTests++;
  }
  yield `${JSON.stringify(totals)}\n`;
}
