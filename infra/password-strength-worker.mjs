// zxcvbn-ts in a worker thread (infra/password-strength.ts): the dictionaries are loaded and ranked
// here, so their memory (≈ 70 MB resident) is returned when the thread ends instead of staying in
// the service's heap for its whole life. Plain JavaScript: worker threads do not get tsx's loader.
// Messages in: { id, password, userInputs }; out: { id, score, dictionaries } or { id, error }.
import { parentPort } from 'node:worker_threads';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import * as zxcvbnId from '@zxcvbn-ts/language-id';

const factory = new ZxcvbnFactory({
  dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary, ...zxcvbnId.dictionary },
  graphs: zxcvbnCommon.adjacencyGraphs,
  translations: zxcvbnId.translations,
});

parentPort.on('message', ({ id, password, userInputs }) => {
  try {
    const result = factory.check(password, userInputs);
    const dictionaries = result.sequence.flatMap((m) => (m.pattern === 'dictionary' && 'dictionaryName' in m ? [String(m.dictionaryName)] : []));
    parentPort.postMessage({ id, score: result.score, dictionaries });
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
