--TEST--
Handshake: a request head over 8 KiB is answered 431 (or 400) and closed
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('open', function ($c) { echo "server: open (must not happen)\n"; });
$child = salon_client($server, <<<'PHP'
$r = http_raw($port, ws_request($port, '/', ['X-Filler' => str_repeat('a', 9000)]));
echo in_array($r['status'], [400, 431], true) ? 'rejected' : 'status ' . $r['status'], ' ', $r['closed'] ? 'closed' : 'still open', "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
rejected closed
