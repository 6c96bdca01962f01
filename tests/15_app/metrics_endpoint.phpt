--TEST--
Metrics: metrics_path answers a plain GET with the stats in OpenMetrics text (valid syntax, right figures); HEAD, 405, other paths
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['metrics_path' => '/metrics']);
$server->on('open', function (Salon\Connection $c) { $c->join('lobby'); });
$server->on('message', function (Salon\Connection $c, string $d) { $c->send($d); });
$child = salon_client($server, <<<'PHP'
/* Checks the exposition against the OpenMetrics 1.0 text grammar (the
 * parts it uses): returns a list of problems. */
function om_problems(string $body): array
{
	$p = [];
	if (!str_ends_with($body, "# EOF\n")) {
		$p[] = 'does not end with "# EOF"';
	}
	$families = [];
	$lines = explode("\n", rtrim($body, "\n"));
	array_pop($lines);   // # EOF
	$name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
	foreach ($lines as $i => $line) {
		if (preg_match("/^# TYPE ($name) (counter|gauge|info|stateset|histogram|gaugehistogram|summary|unknown)$/", $line, $m)) {
			if (isset($families[$m[1]])) $p[] = "family $m[1] declared twice";
			$families[$m[1]] = ['type' => $m[2], 'unit' => null];
		} elseif (preg_match("/^# UNIT ($name) ([a-zA-Z0-9_:]+)$/", $line, $m)) {
			if (!isset($families[$m[1]])) $p[] = "UNIT before TYPE for $m[1]";
			elseif (!str_ends_with($m[1], "_$m[2]")) $p[] = "family $m[1] does not end with its unit $m[2]";
		} elseif (preg_match("/^# HELP ($name) .+$/", $line, $m)) {
			if (!isset($families[$m[1]])) $p[] = "HELP before TYPE for $m[1]";
		} elseif (preg_match("/^($name)(\\{($name=\"[^\"\\\\\\n]*\"(,$name=\"[^\"\\\\\\n]*\")*)?\\})? (-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?)$/", $line, $m)) {
			$fam = null;
			foreach ($families as $f => $info) {
				if ($m[1] === $f || ($info['type'] === 'counter' && $m[1] === "{$f}_total")) $fam = $f;
			}
			if ($fam === null) $p[] = "sample $m[1] of no declared family";
			elseif ($families[$fam]['type'] === 'counter' && $m[1] !== "{$fam}_total") $p[] = "counter sample $m[1] without _total";
		} else {
			$p[] = 'line ' . ($i + 1) . ' is not OpenMetrics: ' . json_encode($line);
		}
	}
	return $p;
}
function sample(string $body, string $series): ?string
{
	return preg_match('/^' . preg_quote($series, '/') . ' (\S+)$/m', $body, $m) ? $m[1] : null;
}
$a = WsClient::connect($port);
$b = WsClient::connect($port);
$b->close(4000);
$a->send('hello');
$a->readFrame();
$r = http_raw($port, "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: application/openmetrics-text;version=1.0.0\r\n\r\n");
echo "GET /metrics: ", $r['status'], ", ", $r['headers']['content-type'], "\n";
echo "Content-Length matches: ", var_export((int) $r['headers']['content-length'] === strlen($r['body']), true), "\n";
$problems = om_problems($r['body']);
echo $problems ? "problems:\n  " . implode("\n  ", $problems) . "\n" : "valid OpenMetrics\n";
foreach (['salon_connections{state="open"}', 'salon_connections_accepted_total', 'salon_messages_total{direction="in"}',
	'salon_rooms', 'salon_room_members', 'salon_closes_total{code="4000"}', 'salon_http_requests_total'] as $s) {
	echo "$s ", sample($r['body'], $s) ?? 'missing', "\n";
}
foreach (['salon_network_bytes_total{direction="out"}', 'salon_event_loop_lag_seconds', 'salon_uptime_seconds',
	'salon_messages_per_second{direction="in"}', 'salon_send_buffered_bytes'] as $s) {
	$v = sample($r['body'], $s);
	echo "$s ", $v !== null && is_numeric($v) && $v >= 0 ? 'a number' : json_encode($v), "\n";
}
$h = http_raw($port, "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
echo "HEAD /metrics: ", $h['status'], ", body ", strlen($h['body']), " bytes, Content-Length > 0: ", var_export((int) $h['headers']['content-length'] > 0, true), "\n";
echo "POST /metrics: ", http_raw($port, "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")['status'], "\n";
echo "GET /metrics?x=1: ", http_raw($port, "GET /metrics?x=1 HTTP/1.1\r\nHost: x\r\n\r\n")['status'], "\n";
echo "GET /metrics/: ", http_raw($port, "GET /metrics/ HTTP/1.1\r\nHost: x\r\n\r\n")['status'], "\n";
echo "GET /other: ", http_raw($port, "GET /other HTTP/1.1\r\nHost: x\r\n\r\n")['status'], "\n";
echo "upgrade on /metrics: ", WsClient::connect($port, '/metrics')->response['status'], "\n";
echo $a->close(), "\n";
PHP);
echo salon_run($server, $child);
try {
	new Salon\Server('127.0.0.1', 0, ['metrics_path' => 'metrics']);
} catch (ValueError $e) {
	echo $e->getMessage(), "\n";
}
?>
--EXPECT--
GET /metrics: 200, application/openmetrics-text; version=1.0.0; charset=utf-8
Content-Length matches: true
valid OpenMetrics
salon_connections{state="open"} 1
salon_connections_accepted_total 3
salon_messages_total{direction="in"} 1
salon_rooms 1
salon_room_members 1
salon_closes_total{code="4000"} 1
salon_http_requests_total 1
salon_network_bytes_total{direction="out"} a number
salon_event_loop_lag_seconds a number
salon_uptime_seconds a number
salon_messages_per_second{direction="in"} a number
salon_send_buffered_bytes a number
HEAD /metrics: 200, body 0 bytes, Content-Length > 0: true
POST /metrics: 405
GET /metrics?x=1: 200
GET /metrics/: 426
GET /other: 426
upgrade on /metrics: 101
close 1000 closed
Salon\Server::__construct(): Argument #3 ($options) option "metrics_path" must start with "/"
