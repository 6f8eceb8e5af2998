import Foundation
import Model

/// What a user may do: `admin` everything, `view` read-only.
public enum Role: String, Sendable {
    case admin
    case view
}

/// An authenticated caller.
public struct User: Sendable, Equatable {
    public var name: String
    public var role: Role

    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }
}

/// Bearer-token authentication from a token file: one `token,user,role` line per user (`#` starts a
/// comment). Without a token file every caller is an anonymous admin (tests, private setups).
public struct Authenticator: Sendable {
    private let users: [String: User]?

    /// Accepts every request as admin.
    public static let allowAll = Authenticator(users: nil)

    init(users: [String: User]?) { self.users = users }

    /// Users by token.
    public init(tokens: [String: User]) { self.users = tokens }

    /// Loads a token file; throws with the line number of a malformed line.
    public init(tokenFile path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var users: [String: User] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw ConfigurationError("\(path):\(number + 1): expected token,user,role")
            }
            guard let role = Role(rawValue: fields[2]) else {
                throw ConfigurationError("\(path):\(number + 1): role must be admin or view, not \"\(fields[2])\"")
            }
            users[fields[0]] = User(name: fields[1], role: role)
        }
        self.users = users
    }

    /// This authenticator plus one more token (the in-process scheduler's); allow-all stays allow-all.
    public func adding(token: String, user: User) -> Authenticator {
        guard var users else { return self }
        users[token] = user
        return Authenticator(users: users)
    }

    /// The user an `Authorization` header identifies, or a 401 Status.
    func authenticate(authorization: String?) throws(StatusError) -> User {
        guard let users else { return User(name: "anonymous", role: .admin) }
        guard let header = authorization, header.lowercased().hasPrefix("bearer ") else { throw .unauthorized() }
        let token = header.dropFirst("bearer ".count).trimmingSpaces
        guard let user = users[token] else { throw .unauthorized() }
        return user
    }
}

/// A configuration problem found at start-up, with a message naming the file or flag.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
