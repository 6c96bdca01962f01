--TEST--
Chat script: runs from any directory, serves the page, keeps history in memory with a notice when PDO sqlite is not loaded; bad arguments and a port in use fail cleanly
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/chat.inc'; if (salon_extension_path() === null) die('skip salon.so not found'); ?>
--FILE--
<?php
require __DIR__ . '/chat.inc';
$server = chat_spawn(['0', '--db=' . sys_get_temp_dir() . '/never-created.sqlite'], false, [], '/');
echo $server->stdout;
echo chat_client_run($server->port, <<<'PHP'
$r = http_raw($port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", null, 3.0, 0, true);
echo 'GET /: ', $r['status'], ' ', $r['headers']['content-type'] ?? '-', ' ', str_contains($r['body'], 'data-testid="messages"') ? 'the chat page' : 'something else', "\n";
foreach (['/chat.js', '/chat.css'] as $path) {
	$r = http_raw($port, "GET $path HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", null, 3.0, 0, true);
	echo "GET $path: ", $r['status'], "\n";
}
$a = chat_join($port, 'alice', 'lobby', true);
chat_say($a, 'hello');
chat_show('alice', $a);
PHP);
$busy = chat_spawn([(string) $server->port], false);
echo 'second server on the same port: exit ', chat_stop($busy), "\n", $busy->stderr;
// SIGTERM stops run() gracefully (close 1001 to everyone), so the script ends with exit code 0.
echo 'first server: ', ($code = chat_stop($server)) === 0 ? 'stopped by SIGTERM, exit 0' : "exit $code", "\n";
echo 'stderr: ', $server->stderr;
echo 'database file: ', file_exists(sys_get_temp_dir() . '/never-created.sqlite') ? 'created' : 'none', "\n";
$bad = chat_spawn(['80000'], false);
echo 'port 80000: exit ', chat_stop($bad), "\n", $bad->stderr;
$bad = chat_spawn(['--nope'], false);
echo '--nope: exit ', chat_stop($bad), "\n", $bad->stderr;
?>
--EXPECTF--
Salon chat room: open http://127.0.0.1:%d/ in two browser tabs (Ctrl-C stops)
history: in memory (lost on restart)
GET /: 200 text/html%S the chat page
GET /chat.js: 200
GET /chat.css: 200
alice <- {"type":"message","room":"lobby","nick":"alice","text":"hello"}
second server on the same port: exit 1
chat: %s: Address already in use
      (another port: make chat PORT=%d)
first server: stopped by SIGTERM, exit 0
stderr: chat: notice: PDO sqlite is not loaded, so history is kept in memory and lost on restart
      (Debian: apt-get install php-sqlite3, then php -d extension=pdo -d extension=pdo_sqlite ...)
database file: none
port 80000: exit 2
chat: bad argument '80000' (PORT is 0 to 65535)
usage: php -d extension=salon server.php [PORT] [--host=ADDRESS] [--db=FILE] [--tls-cert=FILE [--tls-key=FILE]] [--no-compression]
--nope: exit 2
chat: bad argument '--nope' (PORT is 0 to 65535)
usage: php -d extension=salon server.php [PORT] [--host=ADDRESS] [--db=FILE] [--tls-cert=FILE [--tls-key=FILE]] [--no-compression]
