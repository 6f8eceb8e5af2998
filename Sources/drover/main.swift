import Foundation

FileHandle.standardError.write("drover: not yet wired\n".data(using: .utf8)!)
exit(2)
