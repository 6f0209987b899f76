"""The review site's inline style sheet and script (no network at view time)."""

from __future__ import annotations

CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif;
 margin:1.5em auto;max-width:72em;padding:0 1em;color:#222;background:#fff}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #bbb;padding:2px 6px;
 vertical-align:top}th{background:#eef}table.sortable th{cursor:pointer}
table.sortable th:after{content:" \\2195";color:#999}
td.num{text-align:right}tr.failed td{background:#fee}
.page{border:1px solid #ddd;margin:1em 0;padding:.5em 1em}
.page h3{margin:.2em 0;font-size:1em;color:#555}
.text{white-space:pre-wrap;line-height:1.7}
mark{border-radius:3px;padding:0 1px;cursor:help}
.kind-money{background:#ffe08a}.kind-percent{background:#b6e3ff}
.kind-percent_point{background:#c9d7ff}.kind-score{background:#d7f5c4}
.kind-count{background:#f4cdf0}.kind-duration{background:#ffd3b6}
.kind-area{background:#e0e0e0}.kind-weight{background:#e6d3a3}.kind-other{background:#eee}
td.value{background:#fff6d0}
.legend mark{margin-right:.5em}
.check{margin:.4em 0;padding:.3em .6em;border-left:4px solid #d33}
.check.warning{border-color:#e90}.evidence{color:#555;font-size:.9em;white-space:pre-wrap}
dl.identity{display:grid;grid-template-columns:repeat(3,max-content auto);gap:2px 10px;
 margin:.5em 0}dl.identity dt{font-weight:bold;color:#555}dl.identity dd{margin:0}
dl.identity dd.wide{grid-column:span 5}
svg text{font-size:12px}.chart{display:inline-block;vertical-align:top;margin:0 2em 1em 0}
.chart h3{font-size:1em;margin:.3em 0}
"""

# Click a header to sort its table by that column (numbers as numbers), again to reverse.
SORT_JS = """
document.querySelectorAll('table.sortable th').forEach(function(th){
 th.addEventListener('click',function(){
  var table=th.closest('table'),body=table.tBodies[0],i=th.cellIndex;
  var asc=th.dataset.dir!=='asc';th.dataset.dir=asc?'asc':'desc';
  var rows=Array.prototype.slice.call(body.rows);
  function key(r){var c=r.cells[i],v=c.dataset.sort!==undefined?c.dataset.sort:c.textContent;
   var n=parseFloat(v);return v!==''&&!isNaN(n)&&isFinite(v)?n:v;}
  rows.sort(function(a,b){var x=key(a),y=key(b);
   if(typeof x===typeof y){return (x<y?-1:x>y?1:0)*(asc?1:-1);}
   return (typeof x==='number'?-1:1)*(asc?1:-1);});
  rows.forEach(function(r){body.appendChild(r);});
 });
});
"""
