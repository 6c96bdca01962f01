--TEST--
Static: GET / serves index.html from document_root with Content-Type and Content-Length
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/static.inc';
$server = salon_server(['document_root' => static_root()]);
$child = salon_client($server, STATIC_GET . <<<'PHP'
$r = get($port, '/');
echo show($r), "\n", $r['body'];
$r = get($port, '/index.html');
echo show($r), "\n", $r['body'];
$r = get($port, '/sub/');
echo show($r), "\n", $r['body'];
PHP);
echo salon_run($server, $child);
?>
--EXPECTF--
200 text/html%S length-ok
<!doctype html><title>Salon</title>
200 text/html%S length-ok
<!doctype html><title>Salon</title>
200 text/html%S length-ok
<p>sub index</p>
