import Model

/// Options of a list call.
public struct ListOptions: Sendable, Equatable {
    /// Label selector in query form (`app=web,tier in (a,b)`); nil selects everything.
    public var labelSelector: String?
    /// Field selector in query form (`status.phase=Running`); nil selects everything.
    public var fieldSelector: String?
    /// Page size; nil asks for everything at once.
    public var limit: Int?
    /// Continue token of the page to fetch.
    public var continueToken: String?
    /// `resourceVersion` of the list (`"0"` lets the server answer from any point).
    public var resourceVersion: String?
    /// Fetch every following page and merge the items into one result.
    public var allPages: Bool

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil,
                continueToken: String? = nil, resourceVersion: String? = nil, allPages: Bool = true) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.allPages = allPages
    }
}

/// Options of a watch call.
public struct WatchOptions: Sendable, Equatable {
    /// Start after this resourceVersion; nil (or `"0"`) first replays every current object as ADDED.
    public var resourceVersion: String?
    public var labelSelector: String?
    public var fieldSelector: String?
    /// The server ends the stream after this many seconds; nil leaves it to the server.
    public var timeoutSeconds: Int?
    /// Ask for BOOKMARK events carrying the latest resourceVersion.
    public var allowBookmarks: Bool
    /// The Accept header, e.g. the Table media type for `get -w` (each event's object is then a
    /// one-row Table); nil asks for plain JSON objects. Clients that cannot honour it send objects.
    public var accept: String?

    public init(resourceVersion: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
                timeoutSeconds: Int? = nil, allowBookmarks: Bool = false, accept: String? = nil) {
        self.resourceVersion = resourceVersion
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.timeoutSeconds = timeoutSeconds
        self.allowBookmarks = allowBookmarks
        self.accept = accept
    }
}

/// How dependents of a deleted object are treated.
public enum PropagationPolicy: String, Sendable, Equatable {
    case background = "Background"
    case foreground = "Foreground"
    case orphan = "Orphan"
}

/// Options of a delete call, sent as the JSON body kubectl sends.
public struct DeleteOptions: Sendable, Equatable {
    public var propagationPolicy: PropagationPolicy?
    public var gracePeriodSeconds: Int?
    /// Delete only the object with this uid (409 Conflict when the name now holds another one).
    public var preconditionUID: String?

    public init(propagationPolicy: PropagationPolicy? = .background, gracePeriodSeconds: Int? = nil,
                preconditionUID: String? = nil) {
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditionUID = preconditionUID
    }

    /// The request body, e.g. `{"propagationPolicy":"Background"}`.
    public var body: JSONValue {
        var object = JSONObject()
        if let propagationPolicy { object["propagationPolicy"] = .string(propagationPolicy.rawValue) }
        if let gracePeriodSeconds { object["gracePeriodSeconds"] = .int(Int64(gracePeriodSeconds)) }
        if let preconditionUID { object["preconditions"] = ["uid": .string(preconditionUID)] }
        return .object(object)
    }
}
