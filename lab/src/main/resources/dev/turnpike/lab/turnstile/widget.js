/* Turnpike lab: the Turnstile widget page's script (LAB.md L2). Talks to the parent page by postMessage,
   runs the lab's two challenge steps, the proof of work in a Web Worker, and the interactive checkbox. */
(function () {
  'use strict';
  var cfg = window._cf_lab;
  var widgetId = 'cf-chl-widget-' + cfg.wid;
  var content = mount(cfg.shadowMode);
  var BRAND = '<div id="branding">CLOUDFLARE<br>Privacy · Terms</div>';
  var finished = false;

  /* Real Turnstile draws its widget inside a closed shadow root of the iframe's own document (LAB.md L1), so
     a document.querySelector in the frame finds no checkbox. 'open' uses an open root; 'none' the document. */
  function mount(mode) {
    var plain = document.getElementById('content');
    if (mode !== 'closed' && mode !== 'open') {
      return plain;
    }
    var host = document.createElement('div');
    plain.parentNode.replaceChild(host, plain);
    var root = host.attachShadow({mode: mode});
    root.appendChild(document.getElementById('widget-style').cloneNode(true)); /* the page's styles stay outside */
    root.appendChild(plain);
    return plain;
  }

  function post(message) {
    message.source = 'cloudflare-challenge';
    message.widgetId = widgetId;
    window.parent.postMessage(message, '*');
  }

  function show(html) {
    content.innerHTML = html + BRAND;
  }

  function fail(code, html) {
    if (finished) {
      return;
    }
    finished = true;
    show(html || '<h2>Error</h2><span>&nbsp;' + code + '</span>');
    post({event: 'fail', code: code});
  }

  function api(step, body) {
    return fetch('/cdn-cgi/challenge-platform/h/b/lab/' + step, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify(body),
      credentials: 'omit'
    }).then(function (r) {
      if (!r.ok) {
        throw new Error('HTTP ' + r.status);
      }
      return r.json();
    });
  }

  function proofOfWork(seed, bits) {
    if (bits <= 0) {
      return Promise.resolve('0');
    }
    return new Promise(function (resolve, reject) {
      var worker = new Worker('/cdn-cgi/challenge-platform/h/b/lab/pow-worker.js');
      worker.onmessage = function (e) {
        worker.terminate();
        resolve(e.data.n);
      };
      worker.onerror = function (e) {
        worker.terminate();
        reject(e);
      };
      worker.postMessage({seed: seed, bits: bits});
    });
  }

  /* Shows the checkbox and waits for a trusted click; a script's element.click() is untrusted and ignored. */
  function waitForClick(timeoutMs) {
    return new Promise(function (resolve) {
      show('<div class="cb-c"><label class="cb-lb"><input type="checkbox"><span class="cb-i"></span>'
        + '<span class="cb-lb-t">Verify you are human</span></label></div>');
      var label = content.querySelector('label.cb-lb');
      var begunAt = performance.now();
      var timer = setTimeout(function () {
        label.removeEventListener('click', onClick, true);
        resolve(null);
      }, timeoutMs);
      function onClick(e) {
        if (!e.isTrusted) {
          e.preventDefault();
          return;
        }
        if (!(e.clientX > 0 || e.clientY > 0)) {
          return; /* the click a label forwards to its input carries no position; the first one did */
        }
        clearTimeout(timer);
        label.removeEventListener('click', onClick, true);
        resolve({isTrusted: true, type: e.type, x: e.clientX, y: e.clientY, screenX: e.screenX, screenY: e.screenY,
          afterMs: Math.round(performance.now() - begunAt)});
      }
      label.addEventListener('click', onClick, true);
      post({event: 'interactiveBegin'});
    });
  }

  /* Expiry, ~10 s before the token's end: 'auto' is refreshed by api.js; 'manual' shows Cloudflare's own
     "Refresh" link (#expired-refresh-link), whose trusted click asks api.js for a new run; 'never' shows only that
     the token expired (the page must reset the widget). */
  function scheduleExpiry(expiresInMs, refreshExpired) {
    var lead = Math.min(10000, Math.floor(expiresInMs / 10));
    setTimeout(function () {
      post({event: 'tokenExpired'});
      if (refreshExpired !== 'manual') {
        show('<span id="expired-text">Expired</span>');
        return;
      }
      show('<span id="expired-text">Expired</span>&nbsp;<a href="#refresh" id="expired-refresh-link">Refresh</a>');
      var link = content.querySelector('#expired-refresh-link');
      link.addEventListener('click', function (e) {
        e.preventDefault();
        if (!e.isTrusted || !(e.clientX > 0 || e.clientY > 0)) {
          return;
        }
        post({event: 'refreshRequest', reason: 'expired'});
      });
    }, Math.max(0, expiresInMs - lead));
  }

  async function run(extra) {
    var ua = navigator.userAgent;
    var chl;
    var askedAt = performance.now();
    try {
      chl = await api('chl', {sitekey: cfg.sitekey, wid: cfg.wid, url: extra.url, action: extra.action,
        cData: extra.cData, chlPageData: extra.chlPageData, ua: ua});
    } catch (e) {
      if (performance.now() - askedAt < cfg.watchdogMs) {
        fail(300010);
      } /* else api.js has already called this widget hung (300030); a hung widget says nothing more */
      return;
    }
    if (chl.fail) {
      fail(chl.fail, chl.fail === 110100 || chl.fail === 110200 ? '<h2>invalid_sitekey</h2>' : null);
      return;
    }
    var work = proofOfWork(chl.seed, chl.bits);
    var click = null;
    if (chl.interactive) {
      click = await waitForClick(chl.timeoutMs);
      if (!click) {
        finished = true;
        show('<span>Timed out.</span>');
        post({event: 'interactiveTimeout'});
        return;
      }
      show('<span id="verifying">Verifying…</span>');
    }
    var n;
    try {
      n = await work;
    } catch (e) {
      fail(300010);
      return;
    }
    var answer;
    try {
      /* A strict sitekey or host: the signals of the page, this frame, their workers and the click (LAB.md L5). */
      var signals = chl.strict ? await window.__cfLabStrict.widget(widgetId) : null;
      answer = await api('solve', {chlId: chl.chlId, n: n, trustedClick: click, ua: navigator.userAgent,
        strict: signals});
    } catch (e) {
      fail(300010);
      return;
    }
    if (chl.interactive) {
      post({event: 'interactiveEnd'});
    }
    if (answer.fail) {
      fail(answer.fail);
      return;
    }
    finished = true;
    show('<span id="success">Success!</span>');
    post({event: 'complete', token: answer.token});
    scheduleExpiry(answer.expiresInMs, extra.refreshExpired);
  }

  post({event: 'init', mode: cfg.mode, watchdogMs: cfg.watchdogMs});
  if (cfg.failCode) {
    fail(cfg.failCode, '<h2>invalid_sitekey</h2>');
    return;
  }
  show('<span id="verifying">Verifying…</span>');
  var started = false;
  window.addEventListener('message', function (e) {
    var data = e.data;
    if (e.source !== window.parent || !data || data.source !== 'cloudflare-challenge' || data.event !== 'extraParams'
        || started) {
      return;
    }
    started = true;
    run(data);
  });
  post({event: 'requestExtraParams'});
})();
