/* Turnpike lab: the widget's proof of work. Finds n with `bits` leading zero bits in SHA-256(seed + n). */
'use strict';

function zeroBits(bytes) {
  var bits = 0;
  for (var i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(bytes[i]) - 24;
  }
  return bits;
}

self.onmessage = async function (e) {
  var seed = e.data.seed;
  var bits = e.data.bits;
  var encoder = new TextEncoder();
  var BATCH = 512;
  for (var n = 0; ; n += BATCH) {
    var pending = [];
    for (var i = 0; i < BATCH; i++) {
      pending.push(crypto.subtle.digest('SHA-256', encoder.encode(seed + (n + i))));
    }
    var hashes = await Promise.all(pending);
    for (var j = 0; j < BATCH; j++) {
      if (zeroBits(new Uint8Array(hashes[j])) >= bits) {
        self.postMessage({n: String(n + j)});
        return;
      }
    }
  }
};
