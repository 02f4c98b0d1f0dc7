/* Lab challenge orchestrator: renders the challenge page, proves the visitor, posts the answer to fa. */
(function () {
  'use strict';
  var cfg = {{config}};
  var opt = window._cf_chl_opt;
  if (!opt) { return; }
  var host = location.hostname;

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  // A page lives cMTimeMs; then it reloads and a new ray is issued (Cloudflare does the same).
  setTimeout(function () { location.reload(); }, Number(opt.cMTimeMs));

  function proofOfWork(seed, bits) {
    var source = [
      'function zeros(b){var z=0;for(var i=0;i<b.length;i++){if(b[i]===0){z+=8;continue;}',
      'var v=b[i];while((v&0x80)===0){z++;v<<=1;}return z;}return z;}',
      'onmessage=async function(e){var seed=e.data.seed,bits=e.data.bits,enc=new TextEncoder();',
      'for(var n=0;;n++){var h=new Uint8Array(await crypto.subtle.digest("SHA-256",enc.encode(seed+n)));',
      'if(zeros(h)>=bits){postMessage({n:n});return;}}};'
    ].join('');
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(new Blob([source], {type: 'text/javascript'}));
      var worker = new Worker(url);
      worker.onmessage = function (e) { worker.terminate(); URL.revokeObjectURL(url); resolve(String(e.data.n)); };
      worker.onerror = function (e) { reject(e); };
      worker.postMessage({seed: seed, bits: bits});
    });
  }

  // A strict host (LAB.md L5): the page's signals go with the answer; failing them serves the challenge again.
  var strictSignals = cfg.strict ? new Promise(function (resolve) {
    var script = document.createElement('script');
    script.src = cfg.strictJs;
    script.onload = function () { window.__cfLabStrict.challenge().then(resolve, function () { resolve(null); }); };
    script.onerror = function () { resolve(null); };
    document.head.appendChild(script);
  }) : null;

  function submit(answer) {
    if (strictSignals) {
      strictSignals.then(function (signals) { post(answer, JSON.stringify(signals)); });
    } else {
      post(answer, null);
    }
  }

  function post(answer, signals) {
    var form = document.getElementById('challenge-form');
    if (!form) {
      form = document.createElement('form');
      form.id = 'challenge-form';
      form.method = 'POST';
      form.action = opt.fa;
      form.enctype = 'application/x-www-form-urlencoded';
      form.style.display = 'none';
      var md = document.createElement('input');
      md.type = 'hidden'; md.name = 'md'; md.value = opt.md;
      var ans = document.createElement('input');
      ans.type = 'hidden'; ans.name = 'answer';
      form.appendChild(md); form.appendChild(ans);
      document.body.appendChild(form);
    }
    form.querySelector('input[name=answer]').value = answer;
    if (signals !== null) {
      var field = document.createElement('input');
      field.type = 'hidden'; field.name = 'strict'; field.value = signals;
      form.appendChild(field);
    }
    form.submit();
  }

  function showSuccess() {
    var stage = document.getElementById('challenge-stage');
    if (stage) { stage.style.display = 'none'; }
    var spinner = document.getElementById('challenge-spinner');
    if (spinner) { spinner.style.display = 'none'; }
    var ok = document.getElementById('challenge-success');
    if (ok) { ok.style.display = 'block'; }
  }

  function fail(reason) {
    var text = document.getElementById('challenge-body-text');
    if (text) { text.textContent = 'The challenge could not be completed (' + reason + '). Reload the page to try again.'; }
    if (cfg.strict) {
      setTimeout(function () { location.reload(); }, 1500); // a strict host's page loops, as Cloudflare's does
    }
  }

  if (opt.cvId === '2') {
    // The legacy "I'm Under Attack" page: show it, work, post its own form.
    var content = document.getElementById('cf-content');
    if (content) { content.style.display = 'block'; }
    proofOfWork(opt.cH, cfg.powBits).then(submit, function (e) { fail('worker'); });
    return;
  }

  var main = document.querySelector('.main-content');
  main.innerHTML =
    '<h1 class="zone-name-title h1">' + esc(host) + '</h1>' +
    '<p id="Truv1" class="h2 spacer-bottom">Verifying you are human. This may take a few seconds.</p>' +
    '<div id="challenge-stage" style="display: flex;"></div>' +
    '<div id="challenge-spinner" class="spacer loading-spinner" style="display: block; visibility: visible;">' +
    '<div class="lds-ring"><div></div><div></div><div></div><div></div></div></div>' +
    '<div id="challenge-success" style="display: none;"><div class="h2"><span id="challenge-success-text">' +
    'Verification successful</span></div></div>' +
    '<div id="challenge-body-text" class="core-msg spacer">' + esc(host) +
    ' needs to review the security of your connection before proceeding.</div>';
  var footer = document.createElement('div');
  footer.className = 'footer';
  footer.setAttribute('role', 'contentinfo');
  footer.innerHTML =
    '<div class="footer-inner"><div class="clearfix diagnostic-wrapper"><div class="ray-id">Ray ID: <code>' +
    esc(opt.cRay) + '</code></div></div><div class="text-center" id="footer-text">Performance &amp; security by ' +
    '<a rel="noopener noreferrer" href="https://www.cloudflare.com?utm_source=challenge&amp;utm_campaign=m" ' +
    'target="_blank">Cloudflare</a></div></div>';
  document.querySelector('.main-wrapper').appendChild(footer);
  document.body.classList.remove('no-js');

  if (opt.cType === 'non-interactive') {
    proofOfWork(opt.cH, cfg.powBits).then(function (n) { showSuccess(); submit(n); },
                                          function () { fail('worker'); });
    return;
  }

  // managed / interactive: the lab's Turnstile, with the lab's challenge sitekey, bound to this ray.
  var sitekey = opt.cType === 'interactive' ? cfg.interactiveSitekey : cfg.managedSitekey;
  window.__cfLabChlTurnstileReady = function () {
    var spinner = document.getElementById('challenge-spinner');
    if (spinner) { spinner.style.display = 'none'; }
    window.turnstile.render('#challenge-stage', {
      sitekey: sitekey,
      action: 'managed',
      cData: opt.cRay,
      chlPageData: opt.md,
      callback: function (token) { showSuccess(); submit(token); },
      'error-callback': function (code) { fail(code); }
    });
  };
  var api = document.createElement('script');
  api.src = cfg.apiJs;
  api.async = true;
  document.head.appendChild(api);
})();
