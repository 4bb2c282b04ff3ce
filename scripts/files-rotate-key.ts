/** `npm run files:rotate-key`: re-encrypts scans, photos and print jobs with a new key (see infra/files-rotate.ts). */
import { parseConfig } from '../infra/config.js';
import { rotateFileKey } from '../infra/files-rotate.js';

const config = parseConfig(process.env);
const r = await rotateFileKey(config);
console.log(`Key rotation done (${r.mode}): current key ${r.currentKeyId}; ${r.reencrypted} file(s) re-encrypted, ${r.encrypted} plain file(s) encrypted.`);
if (r.mode === 'FILES_KEY' && r.retiredKeyIds.length) console.log(`No file needs the older key(s) ${r.retiredKeyIds.join(', ')} any more: remove FILES_KEY_PREVIOUS.`);
if (r.mode === 'keys-file' && r.retiredKeyIds.length) console.log(`Removed from ${config.dataDir}/keys/files.keys: ${r.retiredKeyIds.join(', ')}. Make a new backup of that file.`);
