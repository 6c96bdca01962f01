--TEST--
Handshake: the Request has path, query, queryParams(), headers, cookies() and remoteAddress, and is the one $c->request() returns
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$seen = null;
$server->on('handshake', function (Salon\Request $r) use (&$seen) {
	$seen = $r;
	echo "path: $r->path\n";
	echo "query: $r->query\n";
	echo "queryParams: ", json_encode($r->queryParams()), "\n";
	echo "cookies: ", json_encode($r->cookies()), "\n";
	echo "cookie header: ", $r->header('Cookie'), "\n";
	echo "user-agent: ", $r->headers['user-agent'], "\n";
	echo "remoteAddress is the peer: ", var_export((bool) preg_match('/^127\.0\.0\.1:\d+$/', $r->remoteAddress), true), "\n";
	return $r->cookies()['token'] ?? null === 's3cret' ? true : 401;
});
$server->on('open', function (Salon\Connection $c) use (&$seen) {
	echo "same Request object: ", var_export($c->request() === $seen, true), "\n";
	echo "same remoteAddress: ", var_export($c->request()->remoteAddress === $c->remoteAddress, true), "\n";
});
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port, '/room/42?name=J%C3%BCrgen&tags[]=a&tags[]=b&empty=&flag', [
	'Cookie' => 'token=s3cret; theme="dark"; pref=a%20b%2Bc; token=second; novalue',
	'User-Agent' => 'phpt/1.0',
]);
echo "client: ", $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
path: /room/42
query: name=J%C3%BCrgen&tags[]=a&tags[]=b&empty=&flag
queryParams: {"name":"J\u00fcrgen","tags":["a","b"],"empty":"","flag":""}
cookies: {"token":"s3cret","theme":"dark","pref":"a b+c","novalue":""}
cookie header: token=s3cret; theme="dark"; pref=a%20b%2Bc; token=second; novalue
user-agent: phpt/1.0
remoteAddress is the peer: true
same Request object: true
same remoteAddress: true
client: close 1000 closed
