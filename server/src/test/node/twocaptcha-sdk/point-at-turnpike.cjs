// Points 2Captcha's JavaScript SDK (@2captcha/captcha-solver) at a Turnpike server instead of 2captcha.com:
//
//   TURNPIKE_2CAPTCHA_URL=http://127.0.0.1:8080 node --require ./point-at-turnpike.cjs your-app.js
//
// The SDK has no option for its host: it reads in.php and res.php from its provider table, one object per service,
// when each request is made. This rewrites both entries (2captcha and ruCaptcha) before the application runs.
'use strict';
const base = process.env.TURNPIKE_2CAPTCHA_URL;
if (!base) {
  throw new Error('TURNPIKE_2CAPTCHA_URL is not set (the Turnpike server, e.g. http://127.0.0.1:8080)');
}
let constants;
try {
  constants = require('@2captcha/captcha-solver/dist/structs/constants/constants');
} catch (e) {
  throw new Error('@2captcha/captcha-solver is not installed next to point-at-turnpike.cjs: ' + e.message);
}
if (!constants.supportedProviders || !constants.supportedProviders.twoCaptcha) {
  throw new Error('this version of @2captcha/captcha-solver keeps its hosts elsewhere; point-at-turnpike.cjs knows 1.3.x');
}
for (const provider of Object.values(constants.supportedProviders)) {
  provider.in = new URL('/in.php', base).href;
  provider.res = new URL('/res.php', base).href;
}
