--TEST--
Chat script: the database is capped globally (--db on a file): after 1,200 rooms of 10 messages each, at most 10,000 rows and 1,000 rooms remain, the newest ones
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
$db = sys_get_temp_dir() . '/salon-chat-cap-' . getmypid() . '.sqlite';
register_shutdown_function(function () use ($db) {
	foreach (['', '-wal', '-shm'] as $s) {
		@unlink($db . $s);
	}
});
$server = chat_spawn(['0', "--db=$db"], true);
echo chat_client_run($server->port, <<<'PHP'
$c = WsClient::connect($port, '/chat');
for ($r = 0; $r < 1200; $r++) {
	chat_req($c, json_encode(['type' => 'join', 'nick' => 'mallory', 'room' => "r$r"]));
	for ($i = 0; $i < 10; $i++) {
		chat_say($c, "m$i in r$r");
	}
	for ($n = 0; $n < 11; ) {
		$m = chat_msg($c);
		if ($m === null) { echo "lost at $r\n"; break 2; }
		$n += in_array($m['type'], ['joined', 'message'], true) ? 1 : 0;
	}
}
echo "sent: $r rooms\n";
PHP);
echo 'stopped: ', chat_stop($server) === 0 ? 'ok' : 'other', "\n";
echo 'stderr: ', json_encode($server->stderr), "\n";
$q = PHP_BINARY . ' -n ' . implode(' ', chat_pdo_flags()) . ' -r ' . escapeshellarg('$db = new PDO("sqlite:" . $argv[1]);
echo json_encode([(int) $db->query("SELECT COUNT(*) FROM messages")->fetchColumn(), (int) $db->query("SELECT COUNT(DISTINCT room) FROM messages")->fetchColumn(),
	$db->query("SELECT room FROM messages ORDER BY id DESC LIMIT 1")->fetchColumn()]);') . ' ' . escapeshellarg($db);
[$rows, $rooms, $last] = json_decode((string) shell_exec($q), true);
echo 'rows: ', $rows <= 10000 && $rows >= 5000 ? 'at most 10000' : $rows, "\n";
echo 'rooms: ', $rooms <= 1000 ? 'at most 1000' : $rooms, "\n";
echo "newest room kept: $last\n";
?>
--EXPECT--
sent: 1200 rooms
stopped: ok
stderr: ""
rows: at most 10000
rooms: at most 1000
newest room kept: r1199
