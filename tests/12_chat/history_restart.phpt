--TEST--
Chat script: history survives a restart through SQLite (SALON_CHAT_DB); the database keeps at most 100 rows per room
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/chat.inc';
if (salon_extension_path() === null) die('skip salon.so not found');
if (chat_pdo_flags() === null) die('skip PDO sqlite not installed (Debian: php-sqlite3)');
?>
--FILE--
<?php
require __DIR__ . '/chat.inc';
$db = sys_get_temp_dir() . '/salon-chat-test-' . getmypid() . '.sqlite';
register_shutdown_function(function () use ($db) {
	foreach (['', '-wal', '-shm'] as $s) {
		@unlink($db . $s);
	}
});
$server = chat_spawn(['0'], true, ['SALON_CHAT_DB' => $db]);
echo 'first run: ', strtok($server->stdout, "\n"), "\n";
echo str_replace($db, 'DB', explode("\n", $server->stdout)[1] ?? ''), "\n";
echo chat_client_run($server->port, <<<'PHP'
$a = chat_join($port, 'alice', 'lobby', true);
$g = chat_join($port, 'gina', 'garden', true);
chat_say($g, 'roses <3');
for ($i = 1; $i <= 120; $i++) {
	chat_say($a, "m$i");
	chat_msg($a);
}
echo "sent 120\n";
PHP);
echo 'stopped: ', chat_stop($server) === 0 ? 'SIGTERM, graceful' : 'other', "\n";

$server = chat_spawn(['0'], true, ['SALON_CHAT_DB' => $db]);
echo chat_client_run($server->port, <<<'PHP'
$c = WsClient::connect($port, '/chat');
chat_req($c, '{"type":"join","nick":"bob"}');
$texts = array_column(chat_msg($c)['history'], 'text');
chat_msg($c); chat_msg($c);
echo 'lobby after restart: ', count($texts), ' messages, ', $texts[0], ' to ', end($texts), "\n";
chat_req($c, '{"type":"join","nick":"bob","room":"garden"}');
echo 'garden after restart: ', json_encode(chat_msg($c)['history']), "\n";
PHP);
chat_stop($server);
echo 'stderr: ', json_encode($server->stderr), "\n";
$count = PHP_BINARY . ' -n ' . implode(' ', chat_pdo_flags()) . ' -r ' . escapeshellarg('$db = new PDO("sqlite:" . $argv[1]); echo $db->query("SELECT COUNT(*) FROM messages WHERE room = \'lobby\'")->fetchColumn();') . ' ' . escapeshellarg($db);
$rows = (int) shell_exec($count);
echo 'rows in lobby: ', $rows >= 50 && $rows <= 100 ? 'between 50 and 100' : $rows, "\n";
?>
--EXPECTF--
first run: Salon chat room: open http://127.0.0.1:%d/ in two browser tabs (Ctrl-C stops)
history: DB
sent 120
stopped: SIGTERM, graceful
lobby after restart: 50 messages, m71 to m120
garden after restart: [{"type":"message","room":"garden","nick":"gina","text":"roses <3"}]
stderr: ""
rows in lobby: between 50 and 100
