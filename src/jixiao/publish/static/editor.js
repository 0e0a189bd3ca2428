/* The SPARQL editor: YASGUI on this server's endpoint, with the named queries one choice away. */
(function () {
  "use strict";
  var endpoint = new URL(document.getElementById("endpoint").textContent, window.location.href).href;
  var texts = JSON.parse(document.getElementById("named-query-texts").textContent);
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null
  });
  window.jixiaoYasgui = yasgui;
  document.getElementById("named-queries").addEventListener("change", function (event) {
    var text = texts[event.target.value];
    if (text) { yasgui.getTab().setQuery(text); }
  });
})();
