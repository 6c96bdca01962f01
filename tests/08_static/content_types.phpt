--TEST--
Static: Content-Type follows the file extension
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/static.inc';
$server = salon_server(['document_root' => static_root()]);
$child = salon_client($server, STATIC_GET . <<<'PHP'
foreach (['app.js', 'style.css', 'data.json', 'logo.png', 'icon.svg'] as $f) {
	$r = get($port, "/assets/$f");
	echo "$f: ", show($r), "\n";
}
PHP);
echo salon_run($server, $child);
?>
--EXPECTF--
app.js: 200 %s/javascript%S length-ok
style.css: 200 text/css%S length-ok
data.json: 200 application/json%S length-ok
logo.png: 200 image/png length-ok
icon.svg: 200 image/svg+xml%S length-ok
