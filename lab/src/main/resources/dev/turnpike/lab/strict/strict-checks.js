/* Turnpike lab, strict mode (LAB.md L5): the signals public bot-detection scripts collect. This script only
   collects; the lab judges on its side (StrictJudge), so a page cannot see which check it failed. Loaded by the
   widget page, the challenge page and (appended to api.js) the page that embeds a widget. */
(function () {
  'use strict';
  if (window.__cfLabStrict) {
    return;
  }
  /* How long a worker or the embedding page may take to report: generous, a busy machine is not a bot. */
  var REPORT_WAIT_MS = 30000;
  var DRIVER_GLOBAL = /^(\$?cdc_|\$wdc_|__webdriver|__driver|__selenium|__fxdriver|__playwright|__pw_|__puppeteer|_Selenium_IDE|callPhantom|_phantom|domAutomation|__nightmare|__lastWatirAlert)/;

  /* Works in a window and in a worker: who the browser says it is. */
  var IDENTITY = function () {
    var nav = self.navigator;
    var data = nav.userAgentData;
    var low = data ? {brands: data.brands.map(function (b) { return b.brand + '/' + b.version; }),
      mobile: data.mobile, platform: data.platform} : null;
    var base = {ua: nav.userAgent, uaData: low, platform: nav.platform, languages: Array.from(nav.languages || []),
      hardwareConcurrency: nav.hardwareConcurrency, webdriver: nav.webdriver === true,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone};
    if (!data) {
      return Promise.resolve(base);
    }
    return data.getHighEntropyValues(['architecture', 'bitness', 'platformVersion', 'uaFullVersion',
      'fullVersionList', 'model']).then(function (high) {
      base.high = {architecture: high.architecture, bitness: high.bitness, platformVersion: high.platformVersion,
        uaFullVersion: high.uaFullVersion, model: high.model,
        fullVersionList: (high.fullVersionList || []).map(function (b) { return b.brand + '/' + b.version; })};
      return base;
    }, function () { return base; });
  };

  function driverGlobals() {
    var names = [];
    [window, document].forEach(function (o) {
      Object.getOwnPropertyNames(o).forEach(function (n) {
        if (DRIVER_GLOBAL.test(n)) { names.push(n); }
      });
    });
    return names;
  }

  /* A DevTools client that enabled Runtime serializes every console call for itself, and its serializer describes
     an Error by its stack, formatted on first read through Error.prepareStackTrace: a hook there runs only when
     someone is listening. (Measured in Chromium 156: an own 'stack' getter is no longer read; the browser's own
     console log reads message and name but not the stack; Console.enable alone serializes nothing.) */
  function devtoolsListening() {
    var touched = false;
    var previous = Error.prepareStackTrace;
    Error.prepareStackTrace = function () { touched = true; return ''; };
    try {
      console.debug(new Error(''));
    } finally {
      Error.prepareStackTrace = previous;
    }
    return touched;
  }

  function windowMetrics() {
    return {innerWidth: innerWidth, innerHeight: innerHeight, outerWidth: outerWidth, outerHeight: outerHeight,
      screenWidth: screen.width, screenHeight: screen.height, availWidth: screen.availWidth,
      availHeight: screen.availHeight, dpr: devicePixelRatio, screenX: screenX, screenY: screenY,
      top: window === window.top};
  }

  function permissions() {
    var shown = typeof Notification === 'undefined' ? 'absent' : Notification.permission;
    if (!navigator.permissions) {
      return Promise.resolve({notification: shown, query: 'absent'});
    }
    return navigator.permissions.query({name: 'notifications'}).then(function (s) {
      return {notification: shown, query: s.state};
    }, function () { return {notification: shown, query: 'error'}; });
  }

  /* The identity a dedicated worker of this document presents. */
  function worker() {
    return new Promise(function (resolve) {
      var source = 'var IDENTITY=' + IDENTITY.toString() + ';IDENTITY().then(function(v){postMessage(v);});';
      var url = URL.createObjectURL(new Blob([source], {type: 'text/javascript'}));
      var w;
      var timer = setTimeout(function () { done(null); }, REPORT_WAIT_MS);
      function done(value) {
        clearTimeout(timer);
        if (w) { w.terminate(); }
        URL.revokeObjectURL(url);
        resolve(value);
      }
      try {
        w = new Worker(url);
        w.onmessage = function (e) { done(e.data); };
        w.onerror = function () { done(null); };
      } catch (e) {
        done(null);
      }
    });
  }

  /* Everything of this document: its identity, its worker's, the automation flags, metrics, permissions. */
  function own() {
    var listening = devtoolsListening();
    return Promise.all([IDENTITY(), worker(), permissions()]).then(function (r) {
      var me = r[0];
      me.driverGlobals = driverGlobals();
      me.devtools = listening;
      me.window = windowMetrics();
      me.permissions = r[2];
      return {self: me, worker: r[1]};
    });
  }

  /* The pointer's story before and during the click a person makes (recorded from the start, capturing). */
  var pointer = {moves: 0, downAt: null, upAt: null, type: null, click: null};
  ['pointermove', 'pointerdown', 'pointerup', 'click'].forEach(function (type) {
    window.addEventListener(type, function (e) {
      if (!e.isTrusted) {
        return;
      }
      if (type === 'pointermove') {
        if (pointer.downAt === null) { pointer.moves++; }
      } else if (type === 'pointerdown') {
        pointer.downAt = e.timeStamp;
        pointer.type = e.pointerType;
      } else if (type === 'pointerup') {
        pointer.upAt = e.timeStamp;
      } else if (pointer.click === null && (e.clientX > 0 || e.clientY > 0)) {
        pointer.click = {clientX: e.clientX, clientY: e.clientY, pageX: e.pageX, pageY: e.pageY,
          screenX: e.screenX, screenY: e.screenY, scrollX: scrollX, scrollY: scrollY};
      }
    }, true);
  });

  function clickStory() {
    if (pointer.click === null) {
      return null;
    }
    return {moves: pointer.moves, pressMs: pointer.downAt === null || pointer.upAt === null ? -1
      : pointer.upAt - pointer.downAt, pointerType: pointer.type, at: pointer.click};
  }

  /* Asks the embedding page (which runs this script too, appended to api.js) for its own signals. */
  function parent(widgetId) {
    if (window.parent === window) {
      return Promise.resolve(null);
    }
    return new Promise(function (resolve) {
      var timer = setTimeout(function () { finish(null); }, REPORT_WAIT_MS);
      function finish(value) {
        clearTimeout(timer);
        window.removeEventListener('message', onMessage);
        resolve(value);
      }
      function onMessage(e) {
        var d = e.data;
        if (e.source === window.parent && d && d.source === 'cloudflare-challenge' && d.event === 'labStrictSignals') {
          finish(d.signals);
        }
      }
      window.addEventListener('message', onMessage);
      window.parent.postMessage({source: 'cloudflare-challenge', widgetId: widgetId, event: 'labStrictProbe'}, '*');
    });
  }

  /* In the embedding page: answer the widget's probe, from the challenge origin only. */
  window.addEventListener('message', function (e) {
    var d = e.data;
    if (!d || d.source !== 'cloudflare-challenge' || d.event !== 'labStrictProbe' || !e.source
        || !/^https:\/\/challenges(\.fed)?\.cloudflare\.com$/.test(e.origin)) {
      return;
    }
    own().then(function (signals) {
      e.source.postMessage({source: 'cloudflare-challenge', widgetId: d.widgetId, event: 'labStrictSignals',
        signals: signals}, e.origin);
    });
  });

  window.__cfLabStrict = {
    /* The widget: the page's signals, its own, its worker's, and the click. */
    widget: function (widgetId) {
      return Promise.all([parent(widgetId), own()]).then(function (r) {
        return {where: 'widget', page: r[0], frame: r[1], click: clickStory()};
      });
    },
    /* A challenge page: its own signals and its worker's. */
    challenge: function () {
      return own().then(function (mine) {
        return {where: 'challenge', page: mine, frame: null, click: null};
      });
    }
  };
})();
