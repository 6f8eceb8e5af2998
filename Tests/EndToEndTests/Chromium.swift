import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Headless chromium driven over the DevTools protocol through `--remote-debugging-pipe`: commands
/// go to the browser's fd 3 and answers come back on its fd 4, each a JSON message ended by a NUL.
/// (Foundation's URLSessionWebSocketTask is not available on Linux: "WebSockets not supported by
/// libcurl", so the pipe transport avoids a hand-written WebSocket client.)
final class Chromium: @unchecked Sendable {
    private var pid: pid_t = 0
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private let lock = NSCondition()
    private var replies: [Int: [String: Any]] = [:]
    private var nextID = 1
    private var closed = false

    /// Starts the browser with its own profile directory.
    init(executable: String, profile: String) throws {
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0]
        guard pipe(&input) == 0, pipe(&output) == 0 else { throw E2EError("pipe failed") }
        toBrowser = input[1]
        // Our ends must not leak into the browser, or it would never see its input close.
        _ = fcntl(input[1], F_SETFD, FD_CLOEXEC)
        _ = fcntl(output[0], F_SETFD, FD_CLOEXEC)
        fromBrowser = output[0]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 3)
        posix_spawn_file_actions_adddup2(&actions, output[1], 4)
        let devNull = Glibc.open("/dev/null", O_WRONLY)
        posix_spawn_file_actions_adddup2(&actions, devNull, 1)
        posix_spawn_file_actions_adddup2(&actions, devNull, 2)
        let arguments = [executable, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                         "--user-data-dir=\(profile)", "--no-first-run", "--window-size=1280,900", "about:blank"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let status = posix_spawn(&pid, executable, &actions, nil, &argv, environ)
        Glibc.close(input[0]); Glibc.close(output[1]); Glibc.close(devNull)
        guard status == 0 else { throw E2EError("could not start chromium: \(status)") }
        let reader = fromBrowser
        Thread.detachNewThread { [weak self] in self?.readLoop(reader) }
    }

    private func readLoop(_ fd: Int32) {
        var pending = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            pending.append(contentsOf: buffer[0..<n])
            while let end = pending.firstIndex(of: 0) {
                let message = Data(pending[..<end])
                pending.removeSubrange(...end)
                guard let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any], let id = object["id"] as? Int else { continue }
                lock.lock(); replies[id] = object; lock.broadcast(); lock.unlock()
            }
        }
        lock.lock(); closed = true; lock.broadcast(); lock.unlock()
    }

    /// Sends one command (to a page when `session` is given) and waits for its result.
    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:], session: String? = nil, timeout: TimeInterval = 30) throws -> [String: Any] {
        lock.lock()
        let id = nextID
        nextID += 1
        lock.unlock()
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        var data = try JSONSerialization.data(withJSONObject: message)
        data.append(0)
        let written = data.withUnsafeBytes { write(toBrowser, $0.baseAddress, $0.count) }
        guard written == data.count else { throw E2EError("could not write to chromium") }
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while replies[id] == nil && !closed {
            if !lock.wait(until: deadline) { throw E2EError("chromium did not answer \(method) in \(timeout)s") }
        }
        guard let reply = replies.removeValue(forKey: id) else { throw E2EError("chromium closed the pipe during \(method)") }
        if let error = reply["error"] as? [String: Any] { throw E2EError("\(method): \(error)") }
        return reply["result"] as? [String: Any] ?? [:]
    }

    /// Opens a new page at `url`, 1280×900.
    func open(_ url: String) throws -> ChromiumPage {
        let target = try send("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else { throw E2EError("no targetId: \(target)") }
        let attached = try send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw E2EError("no sessionId: \(attached)") }
        let page = ChromiumPage(browser: self, session: session)
        try send("Emulation.setDeviceMetricsOverride", ["width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false], session: session)
        try send("Page.navigate", ["url": url], session: session)
        return page
    }

    /// Ends the browser and waits for it.
    func close() {
        _ = try? send("Browser.close", timeout: 5)
        var status: Int32 = 0
        for _ in 0..<50 {
            if waitpid(pid, &status, WNOHANG) == pid { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        if kill(pid, 0) == 0 { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
        Glibc.close(toBrowser)
        Glibc.close(fromBrowser)
    }
}

/// One page (tab) of the browser.
struct ChromiumPage {
    let browser: Chromium
    let session: String

    /// Evaluates a JavaScript expression (awaiting a promise) and returns its value.
    @discardableResult
    func evaluate(_ expression: String) throws -> Any? {
        let result = try browser.send("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true], session: session)
        if let exception = result["exceptionDetails"] { throw E2EError("\(expression): \(exception)") }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Evaluates `expression` until it is true (the test side waits; the page itself never polls).
    func wait(for expression: String, timeout: TimeInterval = 20, _ what: String) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? evaluate("Boolean(\(expression))")) as? Bool == true { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let text = (try? evaluate("document.querySelector('main')?.innerText ?? document.body.innerText")) as? String ?? ""
        throw E2EError("timed out after \(timeout)s waiting for \(what); the page shows:\n\(text.prefix(3000))")
    }

    /// The visible text of the element matching `selector` ("" when there is none).
    func text(_ selector: String) throws -> String {
        (try evaluate("document.querySelector(\(Self.quoted(selector)))?.innerText ?? ''")) as? String ?? ""
    }

    /// Presses one key on the focused element (keyDown with its text, then keyUp), as a person would.
    func press(_ key: String, code: String, keyCode: Int, text: String? = nil) throws {
        var down: [String: Any] = ["type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": keyCode, "nativeVirtualKeyCode": keyCode]
        if let text { down["text"] = text }
        try browser.send("Input.dispatchKeyEvent", down, session: session)
        try browser.send("Input.dispatchKeyEvent", ["type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": keyCode, "nativeVirtualKeyCode": keyCode], session: session)
    }

    /// Writes a PNG screenshot of the page.
    func screenshot(to path: String) throws {
        // The whole page, not only the viewport: clip to the content's size (capped for very long pages).
        let metrics = try browser.send("Page.getLayoutMetrics", session: session)
        let size = metrics["cssContentSize"] as? [String: Any] ?? [:]
        let width = min((size["width"] as? Double) ?? 1280, 1600), height = min((size["height"] as? Double) ?? 900, 6000)
        let shot = try browser.send("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true,
                                                               "clip": ["x": 0, "y": 0, "width": width, "height": height, "scale": 1]], session: session)
        guard let base64 = shot["data"] as? String, let data = Data(base64Encoded: base64) else { throw E2EError("no screenshot data") }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// A JavaScript string literal.
    static func quoted(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text])
        let array = String(decoding: data ?? Data("[\"\"]".utf8), as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }
}
