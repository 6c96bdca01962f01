--TEST--
Handshake: a subclass's onHandshake(Salon\Request): bool|int and onStart(Server) are used; cookies from two Cookie lines
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
class Lobby extends Salon\Server
{
	public function onStart(Salon\Server $s): void
	{
		echo "server: start, same object: ", var_export($s === $this, true), "\n";
	}

	public function onHandshake(Salon\Request $r): bool|int
	{
		$user = $r->cookies()['user'] ?? '';
		echo "server: handshake from '$user', cookies ", json_encode($r->cookies()), "\n";
		return $user === 'ann' ? true : ($user === '' ? 401 : false);
	}

	public function onOpen(Salon\Connection $c): void
	{
		echo "server: open for ", $c->request()->cookies()['user'], "\n";
	}
}
$server = salon_server([], 'Lobby');
$child = salon_client($server, <<<'PHP'
echo "anonymous: ", http_raw($port, ws_request($port, '/'))['status'], "\n";
echo "bob: ", http_raw($port, ws_request($port, '/', ['Cookie' => 'user=bob']))['status'], "\n";
// Two Cookie lines are one cookie-string (RFC 9113 §8.2.3).
$req = str_replace("\r\n\r\n", "\r\nCookie: user=ann\r\nCookie: lang=fr\r\n\r\n", ws_request($port, '/'));
$s = salon_tcp_connect($port);
fwrite($s, $req);
echo "ann: ", strtok(fread($s, 1024), "\r\n"), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: start, same object: true
server: handshake from '', cookies []
server: handshake from 'bob', cookies {"user":"bob"}
server: handshake from 'ann', cookies {"user":"ann","lang":"fr"}
server: open for ann
anonymous: 401
bob: 403
ann: HTTP/1.1 101 Switching Protocols
