<?php
/*
 * A raw WebSocket client for Salon's PHPT tests. It needs no extension
 * (plain stream sockets) and can build any frame, including malformed
 * ones: reserved bits and opcodes, unmasked frames, lying lengths, frames
 * written in chops. It runs in the child process started by
 * tests/inc/harness.inc, never in the server's process.
 *
 * Read methods wait at most salon_timeout() seconds (scaled under valgrind)
 * and throw WsTimeout when nothing came, so a test never hangs and its
 * output shows what was missing.
 */

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP_CONT = 0x0, OP_TEXT = 0x1, OP_BINARY = 0x2, OP_CLOSE = 0x8, OP_PING = 0x9, OP_PONG = 0xA;

class WsTimeout extends RuntimeException {}

/** Seconds, scaled when the server runs under valgrind (run-tests -m). */
function salon_timeout(float $seconds = 5.0): float
{
	$scale = (float) (getenv('SALON_TIMEOUT_SCALE') ?: 1);
	return $seconds * max(1.0, $scale);
}

function salon_tcp_connect(int $port, string $host = '127.0.0.1')
{
	$ctx = stream_context_create(['socket' => ['tcp_nodelay' => true]]);
	$s = @stream_socket_client("tcp://$host:$port", $errno, $errstr, salon_timeout(), STREAM_CLIENT_CONNECT, $ctx);
	if ($s === false) {
		throw new RuntimeException("connect to $host:$port failed: $errstr");
	}
	return $s;
}

/** A handshake request; $headers (name => value, null drops a default) override the defaults. */
function ws_request(int $port, string $path = '/', array $headers = [], string $method = 'GET', string $version = 'HTTP/1.1'): string
{
	$defaults = [
		'Host' => "127.0.0.1:$port",
		'Upgrade' => 'websocket',
		'Connection' => 'Upgrade',
		'Sec-WebSocket-Key' => base64_encode(random_bytes(16)),
		'Sec-WebSocket-Version' => '13',
	];
	foreach ($headers as $k => $v) {
		foreach (array_keys($defaults) as $d) {
			if (strcasecmp($d, $k) === 0) {
				unset($defaults[$d]);
			}
		}
	}
	$all = $defaults + $headers;
	$req = "$method $path $version\r\n";
	foreach ($all as $k => $v) {
		if ($v !== null) {
			$req .= "$k: $v\r\n";
		}
	}
	return $req . "\r\n";
}

function ws_accept(string $key): string
{
	return base64_encode(sha1($key . WS_GUID, true));
}

/**
 * Sends a raw HTTP request (optionally in chops) and reads the response
 * until the server closes the connection, or the timeout. Returns
 * ['status' => int, 'headers' => [lower-name => value], 'body' => string,
 * 'raw' => string, 'closed' => bool] (status 0 when nothing came).
 */
function http_raw(int $port, string $request, ?int $chop = null, float $timeout = 5.0, int $delay_us = 0, bool $stop_when_complete = false): array
{
	$s = salon_tcp_connect($port);
	write_all($s, $request, $chop, $delay_us);
	$raw = '';
	$closed = false;
	$deadline = microtime(true) + salon_timeout($timeout);
	stream_set_blocking($s, false);
	while (microtime(true) < $deadline) {
		$r = [$s];
		$w = $e = null;
		$left = $deadline - microtime(true);
		if (@stream_select($r, $w, $e, (int) $left, (int) (fmod($left, 1) * 1e6)) === 0) {
			break;
		}
		$chunk = @fread($s, 65536);
		if ($chunk === '' || $chunk === false) {
			if (feof($s) || $chunk === false) {
				$closed = true;
				break;
			}
			continue;
		}
		$raw .= $chunk;
		if ($stop_when_complete && http_complete($raw, $request)) {
			break;
		}
	}
	fclose($s);
	return http_parse($raw) + ['closed' => $closed];
}

/** Whether $raw holds a whole response (head, and Content-Length bytes of body unless HEAD or 1xx/204/304). */
function http_complete(string $raw, string $request): bool
{
	$p = strpos($raw, "\r\n\r\n");
	if ($p === false) {
		return false;
	}
	$r = http_parse($raw);
	if (str_starts_with($request, 'HEAD ') || $r['status'] < 200 || in_array($r['status'], [204, 304], true)) {
		return true;
	}
	if (!isset($r['headers']['content-length'])) {
		return false;
	}
	return strlen($raw) - $p - 4 >= (int) $r['headers']['content-length'];
}

function http_parse(string $raw): array
{
	$out = ['status' => 0, 'headers' => [], 'body' => '', 'raw' => $raw];
	$p = strpos($raw, "\r\n\r\n");
	$head = $p === false ? $raw : substr($raw, 0, $p);
	$out['body'] = $p === false ? '' : substr($raw, $p + 4);
	$lines = explode("\r\n", $head);
	if (preg_match('#^HTTP/1\.[01] (\d{3})#', $lines[0], $m)) {
		$out['status'] = (int) $m[1];
	}
	foreach (array_slice($lines, 1) as $line) {
		if (($c = strpos($line, ':')) !== false) {
			$name = strtolower(trim(substr($line, 0, $c)));
			$value = trim(substr($line, $c + 1));
			$out['headers'][$name] = isset($out['headers'][$name]) ? $out['headers'][$name] . ', ' . $value : $value;
		}
	}
	return $out;
}

/** Writes everything, in chops of $chop bytes with $delay_us between them. Returns false on a write error. */
function write_all($s, string $data, ?int $chop = null, int $delay_us = 0): bool
{
	$len = strlen($data);
	$step = $chop ?: max($len, 1);
	for ($i = 0; $i < $len; $i += $step) {
		$part = substr($data, $i, $step);
		while ($part !== '') {
			$n = @fwrite($s, $part);
			if ($n === false || $n === 0) {
				$r = null;
				$w = [$s];
				$e = null;
				if (@stream_select($r, $w, $e, (int) salon_timeout(5)) !== 1) {
					return false;
				}
				$n = @fwrite($s, $part);
				if ($n === false || $n === 0) {
					return false;
				}
			}
			$part = (string) substr($part, $n);
		}
		if ($delay_us > 0 && $i + $step < $len) {
			usleep($delay_us);
		}
	}
	return true;
}

final class WsClient
{
	/** @var resource */
	public $sock;
	public string $buf = '';
	public array $response = [];
	/** mask bit of the last frame read (a server must never mask) */
	public bool $lastMasked = false;
	public int $lastRsv = 0;

	private function __construct($sock)
	{
		$this->sock = $sock;
	}

	/**
	 * Connects and runs the opening handshake; throws unless the answer is
	 * a correct 101 (status, Upgrade, Connection, Sec-WebSocket-Accept).
	 * $first is written in the same write as the request (a first frame).
	 */
	public static function connect(int $port, string $path = '/', array $headers = [], string $first = '', ?int $chop = null): self
	{
		$key = base64_encode(random_bytes(16));
		$headers = ['Sec-WebSocket-Key' => $key] + $headers;
		$c = new self(salon_tcp_connect($port));
		write_all($c->sock, ws_request($port, $path, $headers) . $first, $chop, $chop ? 200 : 0);
		$deadline = microtime(true) + salon_timeout();
		while (($p = strpos($c->buf, "\r\n\r\n")) === false) {
			if (!$c->fill($deadline)) {
				throw new RuntimeException('handshake: connection closed before the response' . ($c->buf !== '' ? ': ' . json_encode($c->buf) : ''));
			}
		}
		$resp = http_parse(substr($c->buf, 0, $p + 4));
		$c->buf = (string) substr($c->buf, $p + 4);
		$c->response = $resp;
		if ($resp['status'] !== 101) {
			throw new RuntimeException('handshake: expected 101, got ' . strtok($resp['raw'], "\r\n"));
		}
		$h = $resp['headers'];
		if (strtolower($h['upgrade'] ?? '') !== 'websocket') {
			throw new RuntimeException('handshake: bad Upgrade header ' . json_encode($h['upgrade'] ?? null));
		}
		if (!in_array('upgrade', array_map('trim', explode(',', strtolower($h['connection'] ?? ''))), true)) {
			throw new RuntimeException('handshake: bad Connection header ' . json_encode($h['connection'] ?? null));
		}
		if (($h['sec-websocket-accept'] ?? '') !== ws_accept($key)) {
			throw new RuntimeException('handshake: wrong Sec-WebSocket-Accept ' . json_encode($h['sec-websocket-accept'] ?? null));
		}
		return $c;
	}

	/** Encodes one frame; every field may be wrong on purpose. $length overrides the length field. */
	public static function frame(int $opcode, string $payload = '', bool $fin = true, int $rsv = 0, bool $mask = true, ?int $length = null): string
	{
		$n = $length ?? strlen($payload);
		$b0 = ($fin ? 0x80 : 0) | (($rsv & 7) << 4) | ($opcode & 0xF);
		$m = $mask ? 0x80 : 0;
		if ($n < 126) {
			$head = pack('CC', $b0, $m | $n);
		} elseif ($n < 65536) {
			$head = pack('CCn', $b0, $m | 126, $n);
		} else {
			$head = pack('CCJ', $b0, $m | 127, $n);
		}
		if (!$mask) {
			return $head . $payload;
		}
		$key = random_bytes(4);
		$len = strlen($payload);
		$masked = $len ? $payload ^ str_repeat($key, intdiv($len, 4) + 1) : '';
		return $head . $key . substr($masked, 0, $len);
	}

	public function sendFrame(int $opcode, string $payload = '', bool $fin = true, int $rsv = 0, bool $mask = true, ?int $chop = null, int $delay_us = 0): bool
	{
		return write_all($this->sock, self::frame($opcode, $payload, $fin, $rsv, $mask), $chop, $delay_us);
	}

	public function send(string $data, bool $binary = false): bool
	{
		return $this->sendFrame($binary ? OP_BINARY : OP_TEXT, $data);
	}

	public function writeRaw(string $bytes, ?int $chop = null, int $delay_us = 0): bool
	{
		return write_all($this->sock, $bytes, $chop, $delay_us);
	}

	/** Reads more bytes into $buf; false at EOF; throws WsTimeout at the deadline. */
	private function fill(float $deadline): bool
	{
		stream_set_blocking($this->sock, false);
		while (true) {
			$chunk = @fread($this->sock, 1 << 20);
			if ($chunk !== '' && $chunk !== false) {
				$this->buf .= $chunk;
				return true;
			}
			if ($chunk === false || feof($this->sock)) {
				return false;
			}
			$left = $deadline - microtime(true);
			if ($left <= 0) {
				throw new WsTimeout('timeout');
			}
			$r = [$this->sock];
			$w = $e = null;
			if (@stream_select($r, $w, $e, (int) $left, (int) (fmod($left, 1) * 1e6)) === 0) {
				throw new WsTimeout('timeout');
			}
		}
	}

	/**
	 * Reads one frame: [opcode, payload, fin], or null when the server closed
	 * the TCP connection. Throws WsTimeout when nothing came in time.
	 */
	public function readFrame(float $timeout = 5.0): ?array
	{
		$deadline = microtime(true) + salon_timeout($timeout);
		while (true) {
			$f = $this->parse();
			if ($f !== null) {
				return $f;
			}
			if (!$this->fill($deadline)) {
				return null;
			}
		}
	}

	private function parse(): ?array
	{
		$b = $this->buf;
		if (strlen($b) < 2) {
			return null;
		}
		$b0 = ord($b[0]);
		$b1 = ord($b[1]);
		$n = $b1 & 0x7F;
		$pos = 2;
		if ($n === 126) {
			if (strlen($b) < 4) {
				return null;
			}
			$n = unpack('n', $b, 2)[1];
			$pos = 4;
		} elseif ($n === 127) {
			if (strlen($b) < 10) {
				return null;
			}
			$n = unpack('J', $b, 2)[1];
			$pos = 10;
		}
		$masked = (bool) ($b1 & 0x80);
		$key = '';
		if ($masked) {
			if (strlen($b) < $pos + 4) {
				return null;
			}
			$key = substr($b, $pos, 4);
			$pos += 4;
		}
		if (strlen($b) < $pos + $n) {
			return null;
		}
		$payload = (string) substr($b, $pos, $n);
		if ($masked && $n > 0) {
			$payload = substr($payload ^ str_repeat($key, intdiv($n, 4) + 1), 0, $n);
		}
		$this->buf = (string) substr($b, $pos + $n);
		$this->lastMasked = $masked;
		$this->lastRsv = ($b0 >> 4) & 7;
		return [$b0 & 0x0F, $payload, (bool) ($b0 & 0x80)];
	}

	/** Reads a whole data message (joining fragments): [opcode, data], or null at EOF. Control frames in between are returned as they come. */
	public function readMessage(float $timeout = 5.0): ?array
	{
		$op = null;
		$data = '';
		while (true) {
			$f = $this->readFrame($timeout);
			if ($f === null) {
				return null;
			}
			[$o, $p, $fin] = $f;
			if ($o >= 8) {
				return [$o, $p];
			}
			if ($op === null) {
				$op = $o;
			}
			$data .= $p;
			if ($fin) {
				return [$op, $data];
			}
		}
	}

	/**
	 * Reads frames until a close frame: returns [code, reason] (code 1005
	 * for an empty close), or [0, 'EOF'] when TCP closed first. Data frames
	 * met on the way are skipped unless $strict, when they are an error.
	 */
	public function readClose(float $timeout = 5.0, bool $strict = false): array
	{
		while (true) {
			$f = $this->readFrame($timeout);
			if ($f === null) {
				return [0, 'EOF'];
			}
			if ($f[0] === OP_CLOSE) {
				$p = $f[1];
				if ($p === '') {
					return [1005, ''];
				}
				if (strlen($p) === 1) {
					return [-1, 'invalid 1-byte close payload'];
				}
				return [unpack('n', $p)[1], (string) substr($p, 2)];
			}
			if ($strict) {
				return [-1, sprintf('frame with opcode %d before the close', $f[0])];
			}
		}
	}

	/**
	 * Waits for the server to close TCP: "closed", "timeout", or a
	 * description of unexpected data. Once the close handshake is complete
	 * the server closes TCP at once (RFC 6455 §7.1.1: the server closes
	 * first), so the default wait is short: 2 s, well under close_timeout.
	 */
	public function expectClosed(float $timeout = 2.0): string
	{
		try {
			$f = $this->readFrame($timeout);
		} catch (WsTimeout $e) {
			return 'timeout (TCP still open)';
		}
		if ($f === null) {
			return 'closed';
		}
		return sprintf('unexpected frame opcode %d (%d bytes)', $f[0], strlen($f[1]));
	}

	/**
	 * Answers a close frame from the server the way a client should (echo
	 * the code) and waits for the TCP close. Returns "closed" or what went
	 * wrong.
	 */
	public function finishClose(int $code): string
	{
		$this->sendFrame(OP_CLOSE, $code === 1005 ? '' : pack('n', $code));
		return $this->expectClosed();
	}

	/** Expects the server to fail the connection: returns "close CODE closed" (code of the close frame, then TCP state). */
	public function expectFail(float $timeout = 5.0): string
	{
		try {
			[$code, $reason] = $this->readClose($timeout);
		} catch (WsTimeout $e) {
			return 'no close frame (timeout)';
		}
		if ($code === 0) {
			return 'TCP closed without a close frame';
		}
		return "close $code " . $this->finishClose($code);
	}

	/** Client-initiated close: returns "close CODE closed" with the server's answer. */
	public function close(int $code = 1000, string $reason = ''): string
	{
		$this->sendFrame(OP_CLOSE, pack('n', $code) . $reason);
		try {
			[$c, $r] = $this->readClose(5.0, true);
		} catch (WsTimeout $e) {
			return 'no close frame (timeout)';
		}
		if ($c === 0) {
			return 'TCP closed without a close frame';
		}
		return "close $c " . $this->expectClosed();
	}

	public function ping(string $payload = ''): bool
	{
		return $this->sendFrame(OP_PING, $payload);
	}

	/** Drops the TCP connection without a close frame. */
	public function drop(): void
	{
		fclose($this->sock);
	}

	public static function describe(?array $f): string
	{
		if ($f === null) {
			return 'EOF';
		}
		$names = [0 => 'cont', 1 => 'text', 2 => 'binary', 8 => 'close', 9 => 'ping', 10 => 'pong'];
		$name = $names[$f[0]] ?? sprintf('op%X', $f[0]);
		if ($f[0] === OP_CLOSE && strlen($f[1]) >= 2) {
			return "close " . unpack('n', $f[1])[1] . (strlen($f[1]) > 2 ? ' ' . substr($f[1], 2) : '');
		}
		$p = $f[1];
		$shown = strlen($p) > 40 ? strlen($p) . ' bytes' : (preg_match('//u', $p) && !preg_match('/[\x00-\x1f]/', $p) ? "\"$p\"" : bin2hex($p));
		return $name . ' ' . $shown . (isset($f[2]) && !$f[2] ? ' (no FIN)' : '');
	}
}
