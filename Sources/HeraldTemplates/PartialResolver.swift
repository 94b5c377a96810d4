/// Finds the templates that `{{> name}}` partials and `{{< name}}` parents refer to.
public protocol PartialResolver: Sendable {
    /// The template called `name`, or `nil` when there is none (a missing partial renders as nothing).
    func template(named name: String) throws(TemplateError) -> Template?
}
